// A user's program that takes apicurio-avro from an install or a subproject: it parses a
// schema, reads a record from JSON and prints it back, without a registry.
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
  return json == R"({"id":7})" ? 0 : 1;
}
