// Fuzzes the Kafka wire-format readers with round-trip properties: a record that read_frame
// accepts is re-framed byte for byte from its id and payload, and an id header that
// read_header_id accepts is re-encoded byte for byte. Rejections are WireFormatError only.
#include <apicurio/wire_format.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using apicurio::ByteView;
using apicurio::Framing;
using apicurio::WireFormatError;

void check_frame(Framing framing, ByteView record) {
  apicurio::Frame frame;
  try {
    frame = apicurio::read_frame(framing, record);
  } catch (const WireFormatError&) {
    return;
  }
  if (frame.id < 0 || frame.framing == Framing::optimistic) std::abort();
  if (framing != Framing::optimistic && frame.framing != framing) std::abort();
  const std::size_t prefix = apicurio::prefix_size(frame.framing);
  if (frame.payload.data() != record.data() + prefix ||
      frame.payload.size() != record.size() - prefix) {
    std::abort();
  }
  std::string reframed;
  apicurio::append_frame(reframed, frame.framing, frame.id, frame.payload);
  if (reframed != record.chars()) std::abort();
}

void check_header(ByteView value) {
  std::int64_t id = 0;
  try {
    id = apicurio::read_header_id("apicurio.value.globalId", value);
  } catch (const WireFormatError&) {
    return;
  }
  auto bytes = apicurio::header_id_bytes(id);
  if (id < 0 || value.size() != bytes.size() ||
      std::memcmp(bytes.data(), value.data(), bytes.size()) != 0) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView record(data, size);
  check_frame(Framing::confluent4, record);
  check_frame(Framing::legacy8, record);
  check_frame(Framing::optimistic, record);
  check_header(record);
  return 0;
}
