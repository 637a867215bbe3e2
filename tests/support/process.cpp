#include "support/process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace kiosk::test {
namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

ProcessResult run(const std::string& command, const std::string& env) {
  const auto tmp = std::filesystem::temp_directory_path();
  const auto tag = std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(&command));
  const auto out_file = tmp / ("kiosk-run-" + tag + ".out");
  const auto err_file = tmp / ("kiosk-run-" + tag + ".err");
  // Grouped, so the redirections apply to the whole command (pipelines included).
  const std::string full = "{ " + (env.empty() ? "" : "env " + env + " ") + command + "\n} >" + out_file.string() +
                           " 2>" + err_file.string() + " </dev/null";
  ProcessResult r;
  const int status = std::system(full.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  std::filesystem::remove(out_file);
  std::filesystem::remove(err_file);
  return r;
}

std::string program(const std::string& name) { return std::string(KIOSK_BIN_DIR) + "/" + name; }

std::string kioskctl_with_plugins(const std::string& dir, const std::string& plugin_dir, const std::string& args) {
  const auto config = std::filesystem::path(dir) / "kiosk.toml";
  std::ofstream(config) << "[paths]\nplugin_dirs = [\"" << plugin_dir << "\"]\n";
  return program("kioskctl") + " --config " + config.string() + " --data-dir " +
         (std::filesystem::path(dir) / "data").string() + " " + args;
}

ProcessResult calibrate_sim(const std::filesystem::path& config, const std::filesystem::path& data_dir) {
  return run(program("kioskctl") + " --config " + config.string() + " --data-dir " + data_dir.string() +
                 " calibrate --device sim:SIM-0001 --mass-kg 20 --unattended --positions " + KIOSK_SOURCE_DIR +
                 "/devices/calibration/five_marks.toml",
             "KIOSK_SIM_PLATE=clock=stepped");  // kioskctl plays the sim's virtual clock
}

}  // namespace kiosk::test
