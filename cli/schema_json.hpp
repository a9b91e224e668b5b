// apicurio-cli's output: a CachedSchema or a preload report as one line of JSON.
#pragma once

#include <apicurio/client.hpp>
#include <apicurio/schema.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace cli {

/// {"group_id":..,"artifact_id":..,"version":..,"global_id":..,"content_id":..,
/// "artifact_type":..,"schema":..} with unknown ids (-1) as null and the schema text as a
/// string. Any thread; never throws but std::bad_alloc.
std::string schema_json(const apicurio::CachedSchema& schema);

/// {"cached":[ids...],"failures":[{"artifact_id":..,"error":..},...]}, each error message
/// passed through `scrub` first. Any thread; throws what `scrub` throws and std::bad_alloc.
std::string preload_json(const apicurio::PreloadReport& report,
                         const std::function<std::string(std::string)>& scrub);

}  // namespace cli
