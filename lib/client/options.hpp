// Checking ClientOptions.
#pragma once

#include <apicurio/options.hpp>

namespace apicurio::detail {

// Throws std::invalid_argument naming the first bad field. Any thread.
void validate(const ClientOptions& options);

}  // namespace apicurio::detail
