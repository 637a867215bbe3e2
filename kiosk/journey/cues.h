// Which sound to play when, derived from the journey each loop turn,
// headless: the 3-2-1 before a capture (and a countdown step's seconds),
// "go" when it starts, metronome beats (a metronome step, or a capture with
// a bpm), "done" when a capture ends by itself (as its end is shown) or a capture or
// metronome is ended going forward, and when the results appear; a step's own `sound` plays when it appears (or
// replaces a countdown's tick and a metronome's beat). Cue ids name assets/sounds/<id>.toml. Nothing plays on the
// attract screen, so a wipe silences everything. Thread: main thread.
#pragma once
#include <string>
#include <vector>

#include "journey/journey.h"

namespace kiosk::journey {

namespace cue {
inline constexpr const char* kTick = "tick";  // each second of a 3-2-1
inline constexpr const char* kGo = "go";      // the count reached 0: start now
inline constexpr const char* kBeat = "beat";  // metronome
inline constexpr const char* kDone = "done";  // a timed test ended; the results are in
}  // namespace cue

class CueTracker {
 public:
  // Cues due since the last call, in order, each at most once. Call after
  // journey.tick() every loop turn, drawn or not.
  std::vector<std::string> update(const Journey& journey);
  // Seconds until the next cue the journey's clock alone will bring (a
  // second of a countdown, a beat), for the loop to wake in time; < 0: none.
  double seconds_to_next(const Journey& journey) const;

 private:
  struct Seen {
    Stage stage = Stage::attract;
    int shown = 0, answered = 0;
    script::StepKind kind = script::StepKind::instruct;
    CapturePhase phase = CapturePhase::ready;
    int digit = 0;   // the 3-2-1 digit last ticked (0: none)
    long beat = -1;  // the beat last played
  };
  Seen seen_;
};

}  // namespace kiosk::journey
