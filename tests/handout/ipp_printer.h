// A real IPP Everywhere printer (ippeveprinter, cups-ipp-utils) on loopback
// for print tests. DNS-SD daemons (dbus, avahi) are started once per machine
// under a lock file (tests of two builds run in parallel) and left running;
// each printer gets a free port, its own name and spool folder, and is
// stopped by the destructor. `-k` keeps every job's file to check.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::test {

class IppPrinter {
 public:
  // `formats`: what it accepts (-f); `command`: run on each job (-c).
  explicit IppPrinter(const std::filesystem::path& spool, std::string formats = "application/pdf",
                      std::string command = "/bin/true");
  ~IppPrinter();
  IppPrinter(const IppPrinter&) = delete;
  IppPrinter& operator=(const IppPrinter&) = delete;

  std::string uri() const;
  void stop();  // kills the printer now (SIGKILL), as if unplugged
  std::vector<std::filesystem::path> job_files(const std::string& extension = ".pdf") const;

 private:
  std::filesystem::path spool_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace kiosk::test
