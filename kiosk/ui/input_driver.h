// Drives the real kiosk through injected input, for the input-driven UI
// tests (`kiosk --drive FILE`): it presses buttons by id where the last
// frame drew them (touch_targets.h), holds the staff corner, waits, and
// checks the model after each step. A drive file, one command per line
// ('#' starts a comment; every command waits for what it needs, up to a
// time limit, and a failure names the line):
//
//   tap ID                     press and release the button drawn with this id
//                              (past the edge of a scrolling page or list, a finger
//                              first drags it into view, as a patient would)
//   type KEYS                  number-pad keys in turn: digits and ','
//   hold-corner SECONDS        hold the top-left corner (the staff gesture)
//   pilot ANSWERS until STAGE  press what a person with these answers would
//                              (a `kioskctl session run` answers file, relative
//                              to the drive file) until the journey is at STAGE
//                              (or, with "live", until a capture is live;
//                              with "next-live", until the capture live now
//                              has ended and the next one is live)
//   pilot ANSWERS until live SCRIPT   ... until a capture of this script is live
//   expect stage NAME          journey stage: attract language welcome step results speak_to_team finished
//   expect step KIND [SCRIPT]  the step on screen (and whose)
//   expect capture PHASE       ready counting_in live ended
//   expect plate yes|no        the journey has a usable plate
//   expect still-there         the "are you still there?" question is up
//   expect large-text yes|no   the patient's large-text toggle is on (the body font is drawn larger)
//   expect safety STATE        the session's safety: unscreened cleared red_flag
//   expect staff PAGE          closed pin clinician technician override
//   expect staff-locked        the PIN pad is locked
//   expect staff-sessions N    the clinician's list shows N sessions of today
//   expect staff-history CODE N  the clinician's visit history charts CODE's last N visits
//   expect plugin ID STATE     a plate plugin is running, restarting or quarantined
//   expect chart TEST scale=LO..HI [zone=A..B|zone=none] [left=V] [right=V]
//                              the last frame's results chart of TEST puts each
//                              number where the scale says (within 1.5 px), with
//                              every label inside the list (touch_targets.h DrawnChart)
//   expect since TEST none | expect since TEST [left=C] [right=C]
//                              TEST's "since last time" line: not drawn, or drawn with
//                              each side's change C: better, worse or same
//   expect fhir-queue P K      the clinician's page shows P sessions waiting and K held back (FHIR outbox)
//   idle SECONDS               no input at all for this long
//   shot NAME                  save this frame as NAME.png in the shots folder
//   absent ID                  no button of this id was drawn in the last frame
//
// On every patient frame (staff screens closed) the driver also checks that
// no button's label is wider than the button (touch_targets.h clipped_labels)
// and that every button is a touch target of at least 15 mm on the screen
// assumed for the window's size (kSupportedScreens); either fails the drive.
//
// Events are pushed into SDL's queue, so the kiosk's own loop handles them
// (touch, idle timer, staff corner); ImGui gets the pointer through
// Window::inject_pointer. Thread: UI thread, called after each frame.
#pragma once
#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journey/autopilot.h"
#include "journey/journey.h"
#include "staff/staff_desk.h"
#include "ui/run_driver.h"
#include "ui/touch_targets.h"
#include "ui/window.h"

namespace kiosk::ui {

class InputDriver final : public RunDriver {
 public:
  // Throws std::runtime_error ("file:line: problem") for a malformed drive file.
  InputDriver(const std::filesystem::path& file, std::filesystem::path shots_dir);

  Status after_frame(Window& window, FramePacer& pacer, journey::Journey& journey, const staff::StaffDesk* desk,
                     Clock::time_point now) override;
  const std::string& problem() const { return problem_; }

 private:
  struct Command {
    int line = 0;
    std::vector<std::string> words;
  };
  enum class Press { none, aim, down, settle, drag };

  bool run_command(Window& window, journey::Journey& journey, const staff::StaffDesk* desk, Clock::time_point now);
  // Fails the drive where a label does not fit or a button is under 15 mm, on any screen.
  void check_frame(const Window& window, const journey::Journey& journey, const staff::StaffDesk* desk);
  bool expectation_met(const Command& c, const journey::Journey& journey, const staff::StaffDesk* desk) const;
  std::vector<std::string> taps_for(const journey::PilotAction& action, const journey::Journey& journey) const;
  // Presses pending_ one at a time; false while a press is under way.
  bool press_pending(Window& window, const journey::Journey& journey, Clock::time_point now);
  void push_button(Window& window, bool down, float x, float y);
  void move_pointer(Window& window, float x, float y, bool down);  // down: a finger dragging
  // A finger drags the scrolling page a step up (or down) from its left edge, off any button, so a
  // button past the screen's edge (large text on 800x480) scrolls into view; true once released.
  bool drag_page(Window& window);
  bool fail(const std::string& why);

  std::filesystem::path dir_, shots_dir_;
  std::vector<Command> commands_;
  std::size_t next_ = 0;
  std::optional<Clock::time_point> since_;  // when the current command started
  std::deque<std::string> pending_;         // button ids still to press
  Press press_ = Press::none;
  std::optional<Clock::time_point> looking_since_;  // when the pending tap first found no button
  int settle_frames_ = 0;
  float x_ = 0, y_ = 0;
  bool drag_up_ = true;  // the page drag under way shows what is below
  TargetRect drag_in_;   // the scrolling window it drags
  std::unique_ptr<journey::Autopilot> pilot_;
  bool pilot_saw_no_capture_ = false;  // "until next-live": the live capture of the start has ended
  std::string problem_;
};

}  // namespace kiosk::ui
