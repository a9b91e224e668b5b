// APICURIO_API marks what libapicurio exports. The library is built with hidden symbols by
// default (as fmt's FMT_API does), so that only the public API is part of its ABI and the
// internals (apicurio::detail) can change without breaking programs linked against it.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
/// Exports a public class or function from the shared library.
#define APICURIO_API __attribute__((visibility("default")))
#else
#define APICURIO_API
#endif
