#include "command_line.hpp"

namespace cli {

const char* const kUsage = R"(usage:
  apicurio-cli [OPTIONS] get ARTIFACT [--version V]
  apicurio-cli [OPTIONS] by-global-id N
  apicurio-cli [OPTIONS] by-content-id N
  apicurio-cli [OPTIONS] register ARTIFACT FILE [--if-exists MODE] [--type TYPE]
                                   [--content-type CT] [--version V]
  apicurio-cli [OPTIONS] preload ARTIFACT...

get, by-global-id, by-content-id and register print the schema and its registry
ids as one JSON object on stdout. register reads the schema from FILE, or from
stdin when FILE is "-". MODE is FAIL, CREATE_VERSION or FIND_OR_CREATE_VERSION
(the default); TYPE defaults to AVRO and CT to application/json.
preload fetches the latest version of each artifact and prints
{"cached":[...],"failures":[{"artifact_id":...,"error":...}]}.

options (before or after the command):
  --url URL          registry v3 base URL, e.g. http://host:8080/apis/registry/v3
                     (default: $APICURIO_REGISTRY_URL)
  --group G          artifact group (default: "default")
  --max-retries N    retries after transport errors and 429/502/503/504 (default: 3)
  --timeout-ms N     time allowed for one HTTP request (default: 30000)
  --stats            print the client's metrics as one line of JSON on stderr
  --help             print this text

authentication (one kind at most; each option defaults to its environment variable):
  --user U --password P               HTTP Basic ($APICURIO_USER, $APICURIO_PASSWORD)
  --token T                           bearer token ($APICURIO_TOKEN)
  --oauth-token-url URL --client-id ID --client-secret S [--scope SC]
                                      OAuth2 client credentials
                                      ($APICURIO_OAUTH_TOKEN_URL, $APICURIO_CLIENT_ID,
                                      $APICURIO_CLIENT_SECRET, $APICURIO_SCOPE)
  When any of these options is given, the environment only completes that kind.

connection:
  --cacert FILE      trust the CA certificates in FILE (PEM) instead of the system's
  --insecure         do not verify the server's certificate (tests only)
  --proxy URL        send every request through this proxy, e.g. http://proxy:3128
  --header N:V       add the header N with value V to every request (repeatable)

exit status: 0 ok, 2 usage error, 3 not found, 4 rejected by the registry,
5 registry unreachable or timed out, 6 authentication failed; preload exits with
the status of its first failure
)";

}  // namespace cli
