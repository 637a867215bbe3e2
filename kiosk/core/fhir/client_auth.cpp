#include "core/fhir/client_auth.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace kiosk::fhir {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string base64url(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (size_t i = 0; i < size; i += 3) {
    const unsigned n = (unsigned{data[i]} << 16) | (i + 1 < size ? unsigned{data[i + 1]} << 8 : 0u) |
                       (i + 2 < size ? unsigned{data[i + 2]} : 0u);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < size) out += kAlphabet[(n >> 6) & 63];
    if (i + 2 < size) out += kAlphabet[n & 63];
  }
  return out;
}
std::string base64url(std::string_view text) {
  return base64url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

[[noreturn]] void fail(std::string_view what) { throw std::runtime_error(fmt::format("FHIR client key: {}", what)); }

Key read_key(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!key) fail("not a PEM private key");
  return key;
}

bool is_ec(std::string_view algorithm) { return algorithm == "ES384"; }

void check_kind(EVP_PKEY* key, std::string_view algorithm) {
  if (is_ec(algorithm) ? !EVP_PKEY_is_a(key, "EC") : !EVP_PKEY_is_a(key, "RSA"))
    fail(fmt::format("the key is not a{} key (fhir.key_algorithm = \"{}\")", is_ec(algorithm) ? "n EC P-384" : " RSA",
                     algorithm));
}

// A big-number parameter of the key, big-endian, left-padded to `width` bytes (0: as short as it is).
std::string key_number(EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* bn = nullptr;
  if (!EVP_PKEY_get_bn_param(key, name, &bn)) fail(fmt::format("no {} in the key", name));
  const int size = width ? width : BN_num_bytes(bn);
  std::string bytes(static_cast<size_t>(size), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), size);
  BN_free(bn);
  return base64url(bytes);
}

std::string sha256_b64url(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return base64url(digest, size);
}

// ECDSA's DER signature → JWS's fixed-width r || s (RFC 7518 §3.4).
std::string jws_ecdsa(const unsigned char* der, size_t size) {
  const unsigned char* p = der;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(size)),
                                                            ECDSA_SIG_free);
  if (!sig) fail("signature not decoded");
  unsigned char raw[96];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw, 48);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw + 48, 48);
  return base64url(raw, sizeof raw);
}

std::string sign(EVP_PKEY* key, std::string_view algorithm, const std::string& input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t size = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) !=
          1)
    fail("cannot sign");
  std::string sig(size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sig.data());
  if (EVP_DigestSign(ctx.get(), out, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    fail("cannot sign");
  return is_ec(algorithm) ? jws_ecdsa(out, size) : base64url(out, size);
}

std::string random_hex(int bytes) {
  unsigned char buf[32];
  if (RAND_bytes(buf, bytes) != 1) fail("no random bytes");
  std::string out;
  for (int i = 0; i < bytes; ++i) out += fmt::format("{:02x}", buf[i]);
  return out;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// application/x-www-form-urlencoded value.
std::string form_encoded(std::string_view text) {
  std::string out;
  for (unsigned char c : text)
    out += std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ? std::string(1, static_cast<char>(c))
                                                                           : fmt::format("%{:02X}", c);
  return out;
}

}  // namespace

std::string generate_private_key_pem(std::string_view algorithm) {
  Key key(is_ec(algorithm) ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384")
                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(3072)),
          EVP_PKEY_free);
  if (!key) fail("key generation failed");
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    fail("cannot write PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<size_t>(size)};
}

nlohmann::json public_jwks(const std::string& private_pem, std::string_view algorithm) {
  const auto key = read_key(private_pem);
  check_kind(key.get(), algorithm);
  nlohmann::json jwk;  // the RFC 7638 members first: their sorted compact JSON is hashed for the kid
  if (is_ec(algorithm)) {
    jwk = {{"crv", "P-384"},
           {"kty", "EC"},
           {"x", key_number(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 48)},
           {"y", key_number(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 48)}};
  } else {
    jwk = {{"e", key_number(key.get(), OSSL_PKEY_PARAM_RSA_E)},
           {"kty", "RSA"},
           {"n", key_number(key.get(), OSSL_PKEY_PARAM_RSA_N)}};
  }
  jwk["kid"] = sha256_b64url(jwk.dump());
  jwk["alg"] = algorithm;
  jwk["use"] = "sig";
  jwk["key_ops"] = nlohmann::json::array({"verify"});
  return {{"keys", nlohmann::json::array({jwk})}};
}

std::filesystem::path private_key_path(const FhirConfig& fhir, const std::filesystem::path& data_dir) {
  return fhir.private_key_file.empty() ? data_dir / "fhir-client-key.pem" : fhir.private_key_file;
}

std::string client_assertion(const std::string& private_pem, std::string_view algorithm, const std::string& client_id,
                             const std::string& token_url, SystemClock::time_point now) {
  const auto key = read_key(private_pem);
  check_kind(key.get(), algorithm);
  const auto kid = public_jwks(private_pem, algorithm)["keys"][0]["kid"].get<std::string>();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const nlohmann::json header{{"alg", algorithm}, {"typ", "JWT"}, {"kid", kid}};
  const nlohmann::json claims{{"iss", client_id},     {"sub", client_id}, {"aud", token_url},
                              {"exp", seconds + 300}, {"iat", seconds},   {"jti", random_hex(16)}};
  const std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
  return input + "." + sign(key.get(), algorithm, input);
}

ClientAuth::ClientAuth(const FhirConfig& fhir, const std::filesystem::path& data_dir)
    : fhir_(fhir), key_file_(private_key_path(fhir, data_dir)) {}

void ClientAuth::forget_token() {
  token_.clear();
  token_expires_ = {};
}

std::optional<std::string> ClientAuth::header(HttpClient& http, SystemClock::time_point now, std::string& error) {
  if (fhir_.auth == "none") return std::string();
  if (fhir_.auth == "bearer") {
    if (token_.empty()) token_ = trimmed(read_file(fhir_.bearer_token_file));
    if (token_.empty()) {
      error = fmt::format("no bearer token in {} (fhir.bearer_token_file)", fhir_.bearer_token_file.string());
      return std::nullopt;
    }
    return "Authorization: Bearer " + token_;
  }
  if (token_.empty() || now >= token_expires_) {
    auto fetched = fetch_token(http, now, error);
    if (!fetched) return std::nullopt;
  }
  return "Authorization: Bearer " + token_;
}

std::optional<std::string> ClientAuth::fetch_token(HttpClient& http, SystemClock::time_point now, std::string& error) {
  const auto pem = read_file(key_file_);
  if (pem.empty()) {
    error = fmt::format("no private key at {} (make one with `kioskctl fhir keygen`)", key_file_.string());
    return std::nullopt;
  }
  std::string assertion;
  try {
    assertion = client_assertion(pem, fhir_.key_algorithm, fhir_.client_id, fhir_.token_url, now);
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
  const std::string form =
      "grant_type=client_credentials&scope=" + form_encoded(fhir_.scope) +
      "&client_assertion_type=" + form_encoded("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
      "&client_assertion=" + form_encoded(assertion);
  const auto r =
      http.post(fhir_.token_url, {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"}, form);
  if (!r.transport_error.empty()) {
    error = "token endpoint: " + r.transport_error;
    return std::nullopt;
  }
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status != 200 || !body.is_object() || !body.contains("access_token") || !body["access_token"].is_string()) {
    // The OAuth error code and description are the server's words about us, never a secret.
    const auto what = body.is_object()
                          ? body.value("error", std::string()) + " " + body.value("error_description", std::string())
                          : std::string();
    error = fmt::format("token endpoint refused the kiosk (HTTP {}){}", r.status,
                        trimmed(what).empty() ? "" : ": " + trimmed(what));
    return std::nullopt;
  }
  token_ = body["access_token"].get<std::string>();
  const auto lifetime =
      body.contains("expires_in") && body["expires_in"].is_number() ? body["expires_in"].get<long>() : 300;
  token_expires_ = now + std::chrono::seconds(std::max(0L, lifetime - 30));
  return token_;
}

}  // namespace kiosk::fhir
