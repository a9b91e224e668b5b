// The whole public API of apicurio-cpp.
#pragma once

#include <apicurio/artifact_strategy.hpp>
#include <apicurio/auth.hpp>
#include <apicurio/client.hpp>
#include <apicurio/errors.hpp>
#include <apicurio/executor.hpp>
#include <apicurio/future.hpp>
#include <apicurio/metrics.hpp>
#include <apicurio/options.hpp>
#include <apicurio/schema.hpp>
#include <apicurio/schema_resolver.hpp>
#include <apicurio/stats.hpp>
#include <apicurio/transport.hpp>
#include <apicurio/version.hpp>
#include <apicurio/wire_format.hpp>
