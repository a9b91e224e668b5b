// A user's program that takes apicurio-avro from an install or a subproject: it parses a
// schema, reads a record from JSON and prints it back, without a registry; then it catches
// the library's RecordMismatchError by its type, which works only when the library exports
// the exception's typeinfo (it hides everything else).
#include <apicurio/avro.hpp>

#include <iostream>
#include <string>

int main() {
  const auto schema = apicurio::avro::Schema::parse(
      R"({"type":"record","name":"R","fields":[{"name":"id","type":"long"}]})");
  apicurio::avro::Value value(schema);
  apicurio::avro::from_json(R"({"id":7})", value.get());
  std::string json;
  apicurio::avro::to_json(value.get(), json);
  std::cout << json << "\n";
  if (json != R"({"id":7})") return 1;

  try {
    apicurio::avro::from_json(R"({"id":"seven"})", value.get());
  } catch (const apicurio::avro::RecordMismatchError& e) {
    std::cout << "expected failure: " << e.what() << "\n";
    return e.path() == "$.id" ? 0 : 1;
  } catch (...) {
    std::cerr << "from_json threw something else than RecordMismatchError\n";
    return 1;
  }
  std::cerr << "from_json took a string for a long\n";
  return 1;
}
