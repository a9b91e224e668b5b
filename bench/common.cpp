// Artifact names, schema texts, percentiles and the report printer.
#include "bench.hpp"

#include "json_string.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace apicurio::bench {

namespace {

// Where the single %d (with optional '0' flag and width) sits in a pattern.
struct Conversion {
  std::size_t begin = std::string::npos;
  std::size_t end = 0;
  bool zero_pad = false;
  int width = 0;
};

Conversion find_conversion(const std::string& pattern) {
  Conversion found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    Conversion c;
    c.begin = i;
    if (j < pattern.size() && pattern[j] == '0') {
      c.zero_pad = true;
      ++j;
    }
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9' && c.width < 100) {
      c.width = c.width * 10 + (pattern[j++] - '0');
    }
    if (j >= pattern.size() || pattern[j] != 'd' || found.begin != std::string::npos) {
      throw std::invalid_argument("--pattern '" + pattern +
                                  "' must hold exactly one %d (optionally %0Nd) and no other "
                                  "conversion (write %% for a percent sign)");
    }
    c.end = j + 1;
    found = c;
    i = j;
  }
  if (found.begin == std::string::npos) {
    throw std::invalid_argument("--pattern '" + pattern + "' has no %d");
  }
  return found;
}

std::string unescape_percents(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') ++i;
  }
  return out;
}

// The library's escaping (lib/json_string.hpp): the benchmark is built in this tree.
std::string json_string(const std::string& text) {
  return detail::json_string(text);
}

}  // namespace

std::string artifact_name(const std::string& pattern, std::int64_t n) {
  const Conversion c = find_conversion(pattern);
  std::string number = std::to_string(n);
  if (static_cast<int>(number.size()) < c.width) {
    number.insert(0, static_cast<std::size_t>(c.width) - number.size(), c.zero_pad ? '0' : ' ');
  }
  return unescape_percents(pattern.substr(0, c.begin)) + number +
         unescape_percents(pattern.substr(c.end));
}

std::string schema_text(std::int64_t n, std::int64_t size) {
  std::string text = fmt::format(
      R"({{"type":"record","name":"T{}","namespace":"bench","fields":[{{"name":"id","type":"long"}}]}})",
      n);
  if (size > static_cast<std::int64_t>(text.size())) {
    // A doc string pads the record to the requested size while it stays a valid schema.
    const std::string head = fmt::format(R"({{"type":"record","name":"T{}","doc":")", n);
    const std::string tail = R"(","namespace":"bench","fields":[{"name":"id","type":"long"}]})";
    const auto fixed = static_cast<std::int64_t>(head.size() + tail.size());
    text = head +
           std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, size - fixed)), 'x') +
           tail;
  }
  return text;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  const std::size_t index = std::min(values.size() - 1, rank == 0 ? 0 : rank - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

void Report::add(const std::string& key, const std::string& text) {
  fields_.push_back({key, {json_string(text), text}});
}

void Report::add(const std::string& key, double number) {
  std::string rendered;
  if (!std::isfinite(number)) {
    rendered = "null";
  } else if (std::fabs(number) >= 1000) {
    rendered = fmt::format("{:.0f}", number);
  } else {
    rendered = fmt::format("{:.3f}", number);
  }
  fields_.push_back({key, {rendered, rendered}});
}

void Report::add(const std::string& key, std::int64_t number) {
  fields_.push_back({key, {std::to_string(number), std::to_string(number)}});
}

void Report::print(bool json) const {
  std::string out;
  if (json) {
    out = "{";
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) out += ",";
      out += json_string(fields_[i].first) + ":" + fields_[i].second.first;
    }
    out += "}\n";
  } else {
    for (const auto& field : fields_)
      out += field.first + ": " + field.second.second + "\n";
  }
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace apicurio::bench
