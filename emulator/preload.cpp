// Emulator::preload: seeds the registry from a directory tree.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <apicurio/testing/emulator.hpp>

namespace apicurio::emulator {
namespace {

namespace fs = std::filesystem;

bool spec_for(const fs::path& file, VersionSpec& spec) {
  const std::string ext = file.extension().string();
  if (ext == ".avsc") {
    spec.artifact_type = "AVRO";
    spec.content_type = "application/json";
  } else if (ext == ".json") {
    spec.artifact_type = "JSON";
    spec.content_type = "application/json";
  } else if (ext == ".proto") {
    spec.artifact_type = "PROTOBUF";
    spec.content_type = "application/x-protobuf";
  } else {
    return false;
  }
  return true;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("apicurio emulator: cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::size_t Emulator::preload(const std::string& dir) {
  std::error_code error;
  fs::directory_iterator top(dir, error);
  if (error) {
    throw std::runtime_error("apicurio emulator: cannot read " + dir + ": " + error.message());
  }
  std::size_t added = 0;
  auto load = [&](const std::string& group, const fs::path& file) {
    VersionSpec spec;
    if (!fs::is_regular_file(file) || !spec_for(file, spec)) return;
    add_version(group, file.stem().string(), read_file(file), spec);
    ++added;
  };
  for (const auto& entry : top) {
    if (entry.is_directory()) {
      for (const auto& inner : fs::directory_iterator(entry.path())) {
        load(entry.path().filename().string(), inner.path());
      }
    } else {
      load("default", entry.path());
    }
  }
  return added;
}

}  // namespace apicurio::emulator
