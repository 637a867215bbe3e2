// `kioskctl staff set-pin`: makes the argon2id hash of a new staff PIN and
// prints the config line that holds it. The PIN is read from standard input
// (typed twice, not echoed, on a terminal), never from the command line
// where the shell history and `ps` would keep it.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "kioskctl/command.h"
#include "staff/staff_gate.h"

namespace kiosk::ctl {
namespace {

std::string read_line(const char* prompt, bool terminal) {
  termios saved{};
  if (terminal) {
    std::fputs(prompt, stderr);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", stderr);
  }
  return line;
}

}  // namespace

void register_staff_commands(CLI::App& app, Context& ctx) {
  auto* staff = app.add_subcommand("staff", "Staff access")->require_subcommand(1);
  auto* set_pin = staff->add_subcommand(
      "set-pin", "Hash a new staff PIN (4-8 digits, from standard input) and print the [staff] config line");
  set_pin->callback([&ctx] {
    const bool terminal = isatty(STDIN_FILENO) != 0;
    const auto pin = read_line("New staff PIN (4-8 digits): ", terminal);
    if (!is_valid_staff_pin(pin)) {
      std::fputs("kioskctl: a staff PIN is 4 to 8 digits\n", stderr);
      ctx.exit_code = kExitBadInput;
      return;
    }
    if (terminal && read_line("Again: ", terminal) != pin) {
      std::fputs("kioskctl: the two PINs differ; nothing changed\n", stderr);
      ctx.exit_code = kExitBadInput;
      return;
    }
    std::printf("# put this under [staff] in the kiosk's config file\npin_hash = \"%s\"\n",
                hash_staff_pin(pin).c_str());
    ctx.exit_code = kExitOk;
  });
}

}  // namespace kiosk::ctl
