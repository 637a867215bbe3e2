#include "node_service.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "core/fhir/http_client.h"

namespace kiosk::test {

NodeService::NodeService(const std::filesystem::path& dir, const std::string& script,
                         const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    if (chdir(dir.c_str()) != 0) _exit(126);
    std::vector<std::string> all{"node", script};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("node", argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char c = 0;
  while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  close(fds[0]);  // node keeps writing nowhere: it prints nothing else
  std::istringstream in(line);
  std::string word;
  in >> word;
  for (int port = 0; in >> port;) ports_.push_back(port);
  if (word != "listening" || ports_.empty()) {
    stop();
    throw std::runtime_error(script + " did not start (said \"" + line + "\"); is the engine installed in " +
                             dir.string() + "?");
  }
}

NodeService::~NodeService() { stop(); }

void NodeService::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

nlohmann::json post_json(const std::string& url, const nlohmann::json& body) {
  fhir::HttpClient http({{}, std::chrono::seconds(5), std::chrono::seconds(60)});
  const auto r = http.post(url, {"Content-Type: application/json"}, body.dump());
  if (r.status != 200)
    throw std::runtime_error(url + ": " + (r.transport_error.empty() ? std::to_string(r.status) : r.transport_error));
  return nlohmann::json::parse(r.body);
}

std::filesystem::path engine_dir() {
  const char* env = std::getenv("FHIR_ENGINE_DIR");
  const std::filesystem::path dir = env && *env ? env : FHIR_ENGINE_DIR;
  if (!std::filesystem::exists(dir / "node_modules/@medplum/fhir-router/package.json"))
    throw std::runtime_error("the FHIR engine is not installed in " + dir.string() +
                             " (the CTest fixture 'fhir: install the FHIR engine from npm' does it)");
  return dir;
}

FhirEngine::FhirEngine(const std::vector<std::string>& args) : service(engine_dir(), "server.js", args) {}

FaultProxy::FaultProxy(const FhirEngine& engine, int seed)
    : service(engine_dir(), "fault_proxy.js",
              {"--target", std::to_string(engine.service.ports().at(0)), "--seed", std::to_string(seed)}) {}

}  // namespace kiosk::test
