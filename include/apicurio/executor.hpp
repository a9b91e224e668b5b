// Where continuations run. The client owns a small worker pool that implements this
// interface; users may hand in their own (a thread pool, an event loop, a strand).
#pragma once

#include <apicurio/export.hpp>

#include <functional>

namespace apicurio {

/// Runs tasks that the library hands to it.
///
/// post() may be called from any thread, including the client's event thread and worker
/// threads, and may be called while the executor runs another task. It must not block for
/// long and must not run the task inline: the library calls it from its event thread.
/// Each posted task must eventually run exactly once.
///
/// post() should not throw. If it throws for a continuation, the library runs the
/// continuation on the posting thread instead, so it is never lost, whatever post() did with
/// `task` before throwing: `task` shares the continuation with the library rather than owning
/// it. For the client's futures the posting thread is often its event thread, whose other
/// work then waits for the continuation: the price of never losing one. A continuation runs
/// at most once however post() behaves: if post() ran `task`, or kept a copy that it runs
/// later, and threw, the first of those runs and the library's is the only one.
///
/// User code the client posts from its event thread is never run there: if post() refuses a
/// TokenProviderAuth::provide call, the requests waiting for that token fail with what post()
/// threw (the next request asks again); if it refuses a ClientOptions::metrics_callback push,
/// that push is skipped.
class APICURIO_API Executor {
 public:
  /// The library may drop its last reference on any thread, including one of the executor's
  /// own threads (from a task it runs). Must not throw.
  virtual ~Executor() = default;
  /// Queues `task` to run later on a thread of the executor's choosing (see the class
  /// comment for the rules an implementation must follow).
  ///
  /// A std::function, so copyable, although continuations may be move-only: the library
  /// posts a small copyable handle to the continuation (one allocation), which keeps every
  /// executor written against this signature working, and is what lets the library keep the
  /// continuation when post() throws.
  virtual void post(std::function<void()> task) = 0;
};

}  // namespace apicurio
