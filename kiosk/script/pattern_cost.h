// Worst-case cost of a Lua string pattern, computed before Lua's own matcher
// runs. The count hook that enforces the CPU deadline never fires inside a C
// function, so string.find/match/gmatch/gsub are guarded with this bound
// instead: the sandbox refuses a (pattern, subject) pair whose bound is over
// the budget, and otherwise runs Lua's unmodified, exact matcher.
//
// The bound: each backtracking item can try up to n+1 positions
// (`*`, `+`, `-` after a class; `%b`; a back-reference `%1`..`%9` compares up
// to n bytes), `?` tries 2, an unanchored search restarts at n+1 positions,
// and each step may scan a set of up to m pattern bytes. The product is an
// upper bound on matcher steps, cheap to compute (one pass over the pattern).
// It is pessimistic for long subjects with several quantifiers; scripts deal
// with short strings, and the error says how to fix the pattern.
#pragma once
#include <cstddef>
#include <string_view>

namespace kiosk::script {

enum class PatternUse { search, iterate };  // find/match/gsub honour `^`; gmatch does not

// Upper bound on matcher steps (saturates at 1e300; never overflows).
double pattern_worst_case_steps(std::string_view pattern, std::size_t subject_length,
                                PatternUse use = PatternUse::search);

}  // namespace kiosk::script
