#include "exit_status.hpp"

#include <apicurio/errors.hpp>

#include <stdexcept>

namespace cli {

Failure classify(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::invalid_argument& e) {  // cli::UsageError and bad ClientOptions
    return {kBadUsage, e.what()};
  } catch (const apicurio::SchemaNotFoundError& e) {
    return {kNotFound, e.what()};
  } catch (const apicurio::AuthenticationError& e) {  // before RegistryError: it is one
    return {kAuthFailed, e.what()};
  } catch (const apicurio::RegistryError& e) {
    return {kRejected, e.what()};
  } catch (const apicurio::ResponseTooLargeError& e) {
    return {kRejected, e.what()};
  } catch (const apicurio::RegistryConnectionError& e) {
    return {kUnreachable, e.what()};
  } catch (const std::exception& e) {
    return {kFailed, e.what()};
  } catch (...) {
    return {kFailed, "unknown error"};
  }
}

}  // namespace cli
