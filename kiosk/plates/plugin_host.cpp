#include "plates/plugin_host.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/log.h"
#include "plates/host_process.h"
#include "plates/plugin_proxy.h"
#include "plates/proxy_abi.h"

namespace kiosk::plates {

std::string_view to_string(PluginStatus::State s) {
  switch (s) {
    case PluginStatus::State::running:
      return "running";
    case PluginStatus::State::restarting:
      return "restarting";
    case PluginStatus::State::quarantined:
      return "quarantined";
  }
  return "?";
}

struct PluginHost::Supervised {
  std::unique_ptr<PluginProxy> proxy;
  std::unique_ptr<ProxyAbi> abi;           // refers to proxy: declared after it, destroyed before it
  std::deque<Clock::time_point> failures;  // within the quarantine window
  std::optional<Clock::time_point> restart_at;
  bool starting = false;  // launched, not yet seen ready
  bool quarantined = false;
  std::string last_failure;
};

PluginHost::PluginHost(std::chrono::milliseconds call_deadline, std::chrono::milliseconds first_backoff)
    : call_deadline_(call_deadline), first_backoff_(first_backoff), host_program_(default_host_program()) {}

PluginHost::~PluginHost() {
  for (auto& s : supervised_) s->abi.reset();
  supervised_.clear();  // each proxy shuts its host down
}

void PluginHost::load_from(const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::unique_ptr<Supervised>> starting;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.path().extension() == ".so") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {  // all hosts start at once; a slow one delays no other
      auto s = std::make_unique<Supervised>();
      s->proxy = std::make_unique<PluginProxy>(f, host_program_, call_deadline_);
      s->proxy->launch();
      starting.push_back(std::move(s));
    }
  }
  for (auto& s : starting) adopt(*s.release(), Clock::now());
}

std::string PluginHost::load(const std::filesystem::path& file) {
  auto s = std::make_unique<Supervised>();
  s->proxy = std::make_unique<PluginProxy>(file, host_program_, call_deadline_);
  s->proxy->launch();
  return adopt(*s.release(), Clock::now());
}

// Takes ownership of a just-launched plugin: keeps it (running, or failed and
// due a restart) or refuses it. Returns the refusal reason.
std::string PluginHost::adopt(Supervised& raw, Clock::time_point now) {
  std::unique_ptr<Supervised> s(&raw);
  auto logger = log::get("plates");
  const auto& file = s->proxy->file();
  auto refuse = [&](std::string reason) {
    logger->error("plugin refused file={} reason=\"{}\"", file.string(), reason);
    refused_.push_back({file, reason});
    return reason;
  };
  const auto phase = s->proxy->phase(/*wait=*/true);
  if (phase == PluginProxy::Phase::refused) return refuse(s->proxy->refusal());
  for (const auto& other : loaded_)
    if (phase == PluginProxy::Phase::ready && other.id() == s->proxy->id())
      return refuse(
          fmt::format("a plugin with id \"{}\" is already loaded from {}", s->proxy->id(), other.file.string()));
  s->abi = ProxyAbi::bind(*s->proxy);
  if (!s->abi) return refuse(fmt::format("more than {} plugins", ProxyAbi::kMaxPlugins));
  loaded_.push_back({file, s->abi->plugin(), s->abi->devices(), s->abi->link(), s->proxy.get()});
  auto& kept = *s;
  supervised_.push_back(std::move(s));
  if (phase == PluginProxy::Phase::ready)
    logger->info("plugin loaded id={} version={} file={} (in its own plate host process)", kept.proxy->id(),
                 kept.proxy->version(), file.string());
  else if (auto death = kept.proxy->take_death())
    failed(kept, *death, now, nullptr);
  return {};
}

void PluginHost::failed(Supervised& s, const std::string& reason, Clock::time_point now,
                        std::vector<HostFailure>* out) {
  while (!s.failures.empty() && now - s.failures.front() > kQuarantineWindow) s.failures.pop_front();
  s.failures.push_back(now);
  s.last_failure = reason;
  s.starting = false;
  HostFailure f{s.proxy->id(), s.proxy->file(), reason, false};
  const int n = static_cast<int>(s.failures.size());
  auto logger = log::get("plates");
  if (n >= kQuarantineAfter) {
    s.quarantined = true;
    s.restart_at.reset();
    f.quarantined = true;
    logger->error(
        "plate host failed plugin={} reason=\"{}\"; quarantined after {} failures in {} minutes until staff "
        "re-enable it",
        f.plugin, reason, n, kQuarantineWindow.count());
  } else {
    const auto backoff = first_backoff_ * (1 << (n - 1));
    s.restart_at = now + backoff;
    logger->error("plate host failed plugin={} reason=\"{}\"; failure {} of {} in {} minutes, restart in {} ms",
                  f.plugin, reason, n, kQuarantineAfter, kQuarantineWindow.count(), backoff.count());
  }
  if (on_failure_)
    on_failure_(f);
  else
    unreported_.push_back(f);
  if (out) out->push_back(std::move(f));
}

std::vector<HostFailure> PluginHost::supervise(Clock::time_point now) {
  std::vector<HostFailure> out;
  for (size_t i = 0; i < supervised_.size(); ++i) {
    auto& s = *supervised_[i];
    const auto phase = s.proxy->phase();
    if (s.starting && phase == PluginProxy::Phase::ready) {
      s.starting = false;
      s.abi->refresh();
      loaded_[i].link = s.abi->link();
      rescan_due_ = true;  // its plates are back
      log::get("plates")->info("plate host of plugin {} is running again", s.proxy->id());
    }
    if (auto death = s.proxy->take_death())
      failed(s, *death, now, &out);
    else if (s.starting && phase == PluginProxy::Phase::refused)
      failed(s, "refused when restarted: " + s.proxy->refusal(), now, &out);
    if (!s.quarantined && s.restart_at && now >= *s.restart_at) {
      s.restart_at.reset();
      s.starting = true;
      log::get("plates")->info("restarting the plate host of plugin {}", s.proxy->id());
      s.proxy->launch();
    }
  }
  return out;
}

void PluginHost::on_failure(std::function<void(const HostFailure&)> fn) {
  on_failure_ = std::move(fn);
  if (on_failure_)
    for (const auto& f : std::exchange(unreported_, {})) on_failure_(f);
}

bool PluginHost::reenable(std::string_view plugin_id) {
  for (auto& s : supervised_) {
    if (s->proxy->id() != plugin_id) continue;
    log::get("plates")->warn("plugin {} re-enabled by staff (was: {})", plugin_id, s->last_failure);
    s->quarantined = false;
    s->failures.clear();
    s->restart_at.reset();
    if (s->proxy->phase() != PluginProxy::Phase::ready) {
      s->starting = true;
      s->proxy->launch();
    }
    return true;
  }
  return false;
}

std::vector<PluginStatus> PluginHost::status() const {
  std::vector<PluginStatus> out;
  for (const auto& s : supervised_) {
    PluginStatus st;
    st.id = s->proxy->id();
    st.file = s->proxy->file();
    st.state = s->quarantined                                   ? PluginStatus::State::quarantined
               : s->proxy->phase() == PluginProxy::Phase::ready ? PluginStatus::State::running
                                                                : PluginStatus::State::restarting;
    st.last_failure = s->last_failure;
    st.recent_failures = static_cast<int>(s->failures.size());
    st.log_tail = s->proxy->log_tail();
    out.push_back(std::move(st));
  }
  return out;
}

std::vector<std::string> PluginHost::take_device_changes() {
  std::vector<std::string> out;
  if (std::exchange(rescan_due_, false)) out.emplace_back();
  for (auto& s : supervised_)
    for (auto& c : s->proxy->take_changes()) out.push_back(std::move(c));
  return out;
}

}  // namespace kiosk::plates
