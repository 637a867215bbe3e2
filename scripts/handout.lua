-- Handout rules: from one session's results to a home exercise plan.
-- Clinicians may edit this file: which exercises answer which finding, how
-- many, their doses, the side emphasis, the advice and the recheck date.
-- It runs in the same sandbox as the tests (no files, no clock); the kiosk
-- calls plan(session, library) with
--   session: what `kioskctl session run` prints (screening, profile, tests, findings)
--   library: the exercise cards as data, by id: {kind, tags, sided, needs,
--            harder_needs, daily_minutes, dose = {sets, reps | hold_s | minutes, ...}}
-- The kiosk calls plan() only for a session whose safety state is "cleared"
-- (session.safety); it drops whatever a plan asks that session.safety.
-- excluded_needs rules out, and adds the see-the-team line for a refer
-- finding — but write the rules so they never need that: run
-- `kioskctl handout check` after every change (scripts/README.md, "Safety").
-- and prints what plan() returns (format: scripts/README.md, "Handout rules").
-- Source of every rule: shared/clinical/BRIEF.md, "Tailoring" and "Exercise library".
local norms = require("norms")

local RULES = {
  min_exercises = norms.handout.min_exercises,
  max_exercises = norms.handout.max_exercises,
  max_daily_minutes = norms.handout.max_daily_minutes,
  recheck_days = 14,       -- brief: recheck (knee-to-wall) in 2 weeks
  long_pain_weeks = 12,    -- pain this long: book with a clinician (most settle in 8-12 weeks)
  always = "plantar_fascia_stretch",
  -- Exercise groups, each answering findings; best first within a group.
  -- Groups take turns (first of each, then second of each ...), in this order.
  groups = {
    {
      name = "calf",
      findings = { "calf_capacity_low_left", "calf_capacity_low_right", "calf_asymmetry" },
      measure = { test = "heel_raise", id = "reps" },
      exercises = { "heel_raise_step", "eccentric_heel_drop", "isometric_heel_hold" },
      -- Pain stopped the heel raises: start lower (two legs on the flat, holds).
      gentle = { "heel_raise_supported", "isometric_heel_hold" },
    },
    {
      name = "ankle",
      findings = { "dorsiflexion_restricted_left", "dorsiflexion_restricted_right", "dorsiflexion_asymmetry" },
      measure = { test = "knee_to_wall", id = "distance_cm" },
      exercises = { "wall_calf_stretch_straight", "wall_calf_stretch_bent", "kneeling_shin_stretch" },
    },
    {
      name = "balance",
      findings = { "balance_below_norm_left", "balance_below_norm_right", "balance_asymmetry" },
      measure = { test = "single_leg_balance", id = "stance_s" },
      exercises = { "single_leg_balance", "towel_scrunch", "glute_bridge", "big_toe_lift",
                    "clamshell_band", "single_leg_deadlift", "toe_curls_band" },
    },
    {
      -- Not safe on one leg: balance and heel raises were not tested. Safe
      -- foot, calf and hip work, no standing on one leg.
      name = "one_leg_unsafe",
      findings = { "balance_unsafe" },
      exercises = { "heel_raise_supported", "towel_scrunch", "glute_bridge", "big_toe_lift", "clamshell_band" },
    },
  },
  -- When the tests found nothing: the best-proven loading and stretching.
  no_findings = { "heel_raise_step", "wall_calf_stretch_straight", "isometric_heel_hold", "single_leg_balance" },
  -- To reach the minimum when few exercises fit (those the patient may do).
  fillers = { "wall_calf_stretch_straight", "heel_raise_step", "heel_raise_supported", "big_toe_lift",
              "glute_bridge", "towel_scrunch" },
  -- A result that needs the team first: no calf training at all, and the see-the-team line.
  no_calf_training = { "calf_no_raise_left", "calf_no_raise_right" },
  kind_order = { relief = 1, mobility = 2, strength = 3, balance = 4 },
  -- Load advice on every handout (ids; the words are in assets/handout/<lang>.toml).
  advice = { "load_reduce", "load_easy_pace", "load_cross_train", "load_shoes", "pain_rules",
             "track_morning", "see_clinician" },
  -- What each advice or progression line needs is in assets/handout/lines.toml;
  -- a patient who may not run gets this instead of the running lines.
  no_running = "run_ask_first",
  running_lines = { "load_reduce", "load_easy_pace", "load_shoes", "load_spike", "shoe_change" },
}

local function has(list, value)
  for _, v in ipairs(list or {}) do
    if v == value then return true end
  end
  return false
end

local function any_of(list, values)
  for _, v in ipairs(values) do
    if has(list, v) then return true end
  end
  return false
end

local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = type(v) == "table" and copy(v) or v end
  return out
end

-- Measures of one test by side: {left = 8.5, right = 11}.
local function values_of(session, test_id, measure_id)
  local out = {}
  for _, test in ipairs(session.tests or {}) do
    if test.test == test_id then
      for _, m in ipairs(test.measures or {}) do
        if m.id == measure_id and (m.side == "left" or m.side == "right") then out[m.side] = m.value end
      end
    end
  end
  return out
end

local function measure_of(session, test_id, measure_id)
  for _, test in ipairs(session.tests or {}) do
    if test.test == test_id then
      for _, m in ipairs(test.measures or {}) do
        if m.id == measure_id then return m end
      end
    end
  end
  return nil
end

-- The side to give extra work: the side a finding names, else the lower
-- measure, else the painful side; "both" when it cannot be told.
local function weaker_side(session, group, findings)
  local prefix = group.findings[1]:gsub("_left$", "_")
  local left, right = has(findings, prefix .. "left"), has(findings, prefix .. "right")
  if left ~= right then return left and "left" or "right" end
  if group.measure then
    local v = values_of(session, group.measure.test, group.measure.id)
    if v.left and v.right and v.left ~= v.right then return v.left < v.right and "left" or "right" end
  end
  local painful = session.profile and session.profile.answers and session.profile.answers.painful_side
  if painful == "left" or painful == "right" then return painful end
  return "both"
end

local function painful_side(session)
  local p = session.profile and session.profile.answers and session.profile.answers.painful_side
  if p == "left" or p == "right" then return p end
  return "both"
end

-- One row per measured test: each side against its norm band.
local function charts(session)
  local age = session.profile and session.profile.answers and session.profile.answers.age_band
  local rows = {}
  local function add(test, id, unit, good_from, scale_max, diff_id, diff_finding)
    local v = values_of(session, test, id)
    if not v.left and not v.right then return end
    local top = scale_max
    for _, x in pairs(v) do
      if x > top then top = x end
    end
    local diff = diff_id and measure_of(session, test, diff_id)
    rows[#rows + 1] = {
      test = test, measure = id, unit = unit, left = v.left, right = v.right,
      good_from = good_from, scale_max = top,
      difference = diff and { value = diff.value, unit = diff.unit, flagged = has(session.findings, diff_finding) } or nil,
    }
  end
  add("knee_to_wall", "distance_cm", "cm", norms.knee_to_wall.adequate_cm, norms.knee_to_wall.max_cm,
      "asymmetry_cm", "dorsiflexion_asymmetry")
  add("single_leg_balance", "stance_s", "s", norms.single_leg_balance.age_mean_s[age or ""],
      norms.single_leg_balance.cap_s, "asymmetry_pct", "balance_asymmetry")
  add("heel_raise", "reps", "reps", norms.heel_raise.low_reps, 40, "lsi_pct", "calf_asymmetry")
  return rows
end

local function refer_plan(session)
  return { refer = true, exercises = {}, advice = { "refer" }, progression = {},
           recheck_days = 0, charts = charts(session), total_minutes = 0 }
end

return {
  api = 1,
  id = "handout",
  version = "2.0.0",
  limits = function() return norms.handout end,
  plan = function(session, library)
    local findings = session.findings or {}
    local safety = session.safety or {}
    if safety.state ~= "cleared" or has(findings, "red_flag") then return refer_plan(session) end
    local excluded = safety.excluded_needs or {}
    local function allowed(needs) return not any_of(needs or {}, excluded) end
    local no_calf = any_of(findings, RULES.no_calf_training)

    local chosen, minutes, why = {}, 0, {}
    local function try(id, side, because)
      local card = library[id]
      if not card or why[id] or #chosen >= RULES.max_exercises then return false end
      if not allowed(card.needs) then return false end
      if no_calf and has(card.tags, "calf_strength") then return false end
      if minutes + card.daily_minutes > RULES.max_daily_minutes then return false end
      minutes = minutes + card.daily_minutes
      why[id] = because
      chosen[#chosen + 1] = { id = id, side = side }
      return true
    end

    try(RULES.always, painful_side(session), {})
    local active = {}
    for _, g in ipairs(RULES.groups) do
      if any_of(findings, g.findings) then
        local list = (g.gentle and has(findings, "calf_pain_stop")) and g.gentle or g.exercises
        active[#active + 1] = { name = g.name, findings = g.findings, measure = g.measure, exercises = list }
      end
    end
    if #active == 0 then
      active[1] = { name = "no_findings", findings = {}, exercises = RULES.no_findings }
    end
    local longest = 0
    for _, g in ipairs(active) do longest = math.max(longest, #g.exercises) end
    for round = 1, longest do
      for _, g in ipairs(active) do
        local id = g.exercises[round]
        if id then
          local because = {}
          for _, f in ipairs(g.findings) do
            if has(findings, f) then because[#because + 1] = f end
          end
          try(id, g.findings[1] and weaker_side(session, g, findings) or painful_side(session), because)
        end
      end
    end
    for _, id in ipairs(RULES.fillers) do
      if #chosen >= RULES.min_exercises then break end
      try(id, painful_side(session), {})
    end

    -- Order mobility → strength → balance (relief first), keeping the choice order within a kind.
    for i, c in ipairs(chosen) do c.rank = i end
    table.sort(chosen, function(a, b)
      local ka, kb = RULES.kind_order[library[a.id].kind], RULES.kind_order[library[b.id].kind]
      if ka ~= kb then return ka < kb end
      return a.rank < b.rank
    end)

    local exercises, progression = {}, { "general" }
    for _, c in ipairs(chosen) do
      local card = library[c.id]
      local dose = copy(card.dose)
      local side = card.sided and c.side or "none"
      -- One extra set on the side that needs it most.
      if (side == "left" or side == "right") and dose.each_side then dose.extra_sets = 1 end
      exercises[#exercises + 1] = { id = c.id, side = side, dose = dose, because = why[c.id] }
    end
    local may_step_up = allowed({ "one_leg", "step" })
    if why.heel_raise_step then progression[#progression + 1] = may_step_up and "calf_one_leg" or "calf_two_legs" end
    if why.heel_raise_supported then progression[#progression + 1] = "calf_two_legs" end
    if not allowed({ "one_leg" }) then progression[#progression + 1] = "one_leg_later" end

    local advice = {}
    if no_calf then advice[#advice + 1] = "see_team" end
    if has(findings, "calf_pain_stop") then advice[#advice + 1] = "pain_stop" end
    local may_run = allowed({ "running" })
    for _, a in ipairs(RULES.advice) do
      if may_run or not has(RULES.running_lines, a) then advice[#advice + 1] = a end
    end
    if not may_run then advice[#advice + 1] = RULES.no_running end
    local answers = session.profile and session.profile.answers or {}
    if may_run and has(findings, "load_spike") then advice[#advice + 1] = "load_spike" end
    if may_run and answers.shoe_change == true then advice[#advice + 1] = "shoe_change" end
    if (answers.pain_weeks or 0) >= RULES.long_pain_weeks then advice[#advice + 1] = "long_pain" end

    return {
      refer = false,
      exercises = exercises,
      advice = advice,
      progression = progression,
      recheck_days = RULES.recheck_days,
      charts = charts(session),
      total_minutes = minutes,
    }
  end,
}
