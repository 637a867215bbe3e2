// A test-only Node program on loopback (tests/fhir/engine/: the FHIR engine
// server.js, the fault proxy fault_proxy.js), started from the build tree's
// install (FHIR_ENGINE_DIR), killed by the destructor. It prints
// "listening PORT [PORT...]" when ready; ports() are those numbers.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk::test {

class NodeService {
 public:
  NodeService(const std::filesystem::path& engine_dir, const std::string& script, const std::vector<std::string>& args);
  ~NodeService();
  NodeService(const NodeService&) = delete;
  NodeService& operator=(const NodeService&) = delete;

  const std::vector<int>& ports() const { return ports_; }
  std::string url(int which = 0) const { return "http://127.0.0.1:" + std::to_string(ports_.at(which)); }
  void stop();

 private:
  pid_t pid_ = -1;
  std::vector<int> ports_;
};

// POSTs `body` (JSON) to `url` and parses the answer (the engine's /__stats, the proxy's control).
nlohmann::json post_json(const std::string& url, const nlohmann::json& body = nlohmann::json::object());

// The FHIR engine (server.js) with `args`, and its base URL.
struct FhirEngine {
  explicit FhirEngine(const std::vector<std::string>& args = {});
  NodeService service;
  std::string base_url() const { return service.url() + "/fhir"; }
  nlohmann::json stats() const { return post_json(service.url() + "/__stats"); }
  nlohmann::json resources(const std::string& type) const { return post_json(service.url() + "/__resources/" + type); }
  nlohmann::json identifiers() const { return post_json(service.url() + "/__identifiers"); }
};

// The fault proxy in front of `engine`; its own base URL and its control.
struct FaultProxy {
  explicit FaultProxy(const FhirEngine& engine, int seed = 1);
  NodeService service;
  std::string base_url() const { return service.url(0) + "/fhir"; }
  nlohmann::json mode(const nlohmann::json& m) const { return post_json(service.url(1) + "/mode", m); }
  nlohmann::json outage(bool on) const { return post_json(service.url(1) + "/outage", {{"on", on}}); }
  nlohmann::json stats() const { return post_json(service.url(1) + "/stats"); }
};

std::filesystem::path engine_dir();  // $FHIR_ENGINE_DIR, else the build's; checked to be installed

}  // namespace kiosk::test
