// How the outbox proves who it is to the clinic's FHIR server (fhir.auth):
//   none    no Authorization header (a private network);
//   bearer  a static token read from fhir.bearer_token_file;
//   smart   SMART Backend Services (HL7 SMART App Launch 2.x, "client
//           credentials" with a private_key_jwt assertion, RFC 7523): a JWT
//           signed with this kiosk's own key (ES384 or RS384, OpenSSL
//           libcrypto) buys an access token at fhir.token_url; kept until
//           shortly before it expires, dropped after a 401.
// Tokens, keys and assertions never reach a log or an error message.
// Thread: the sender's (one ClientAuth per sender).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/fhir/http_client.h"

namespace kiosk::fhir {

using SystemClock = std::chrono::system_clock;

// ---- keys (kioskctl fhir keygen) ----
// A new private key as PKCS#8 PEM: P-384 for ES384, RSA 3072 for RS384. Throws std::runtime_error.
std::string generate_private_key_pem(std::string_view algorithm);
// The public half as a JWK Set to register with the server: {"keys": [{kty, crv/x/y or n/e, kid, alg, use}]};
// kid is the key's RFC 7638 SHA-256 thumbprint. Throws std::runtime_error for a key that is not of `algorithm`.
nlohmann::json public_jwks(const std::string& private_pem, std::string_view algorithm);
// Where the key lives: fhir.private_key_file, else <data_dir>/fhir-client-key.pem.
std::filesystem::path private_key_path(const FhirConfig& fhir, const std::filesystem::path& data_dir);

// A signed client assertion (compact JWS): iss = sub = client_id, aud = token_url, exp = now + 5 min, random jti.
std::string client_assertion(const std::string& private_pem, std::string_view algorithm, const std::string& client_id,
                             const std::string& token_url, SystemClock::time_point now);

class ClientAuth {
 public:
  ClientAuth(const FhirConfig& fhir, const std::filesystem::path& data_dir);

  // The Authorization header line for the next request ("" for auth = none),
  // fetching a token when needed; nullopt with `error` set when none can be had.
  std::optional<std::string> header(HttpClient& http, SystemClock::time_point now, std::string& error);
  // The server said 401: the token (or bearer file) is read afresh next time.
  void forget_token();

 private:
  std::optional<std::string> fetch_token(HttpClient& http, SystemClock::time_point now, std::string& error);

  FhirConfig fhir_;
  std::filesystem::path key_file_;
  std::string token_;
  SystemClock::time_point token_expires_{};
};

}  // namespace kiosk::fhir
