-- Handout rules: from one session's results to a graded home loading plan.
-- Clinicians may edit this file: the ladders (which card is which rung and
-- its dose), where a patient starts, the advice and the recheck date. Every
-- number a patient reads comes from lib/norms.lua or the cards.
-- It runs in the same sandbox as the tests (no files, no clock); the kiosk
-- calls plan(session, library) with
--   session: what `kioskctl session run` prints (screening, profile, tests, findings)
--   library: the exercise cards as data, by id: {kind, tags, sided, needs,
--            harder_needs, daily_minutes, dose = {sets, reps | hold_s | minutes, rep_s, rest_s, ...}}
-- The kiosk calls plan() only for a session whose safety state is "cleared"
-- (session.safety); it drops whatever a plan asks that session.safety.
-- excluded_needs rules out, and adds the see-the-team line for a refer
-- finding — but write the rules so they never need that: run
-- `kioskctl handout check` after every change (scripts/README.md, "Safety").
-- The kiosk recomputes each card's minutes from its dose (the same sum as
-- minutes_of below) and refuses a plan whose total_minutes differs.
-- The results charts are not made here: the kiosk draws each test's chart
-- from its script's `chart = kiosk.chart { ... }`, the same on screen and paper.
-- Source of every rule: shared/clinical/BRIEF.md, "Tailoring", "Exercise
-- library" and "Advice for the sheet".
local norms = require("norms")
local H, A = norms.handout, norms.advice

-- Ladders: rungs from easiest to hardest. A patient gets one rung of each
-- ladder a finding calls for; the sheet shows it, the next rung, and when to
-- move up or step down (texts "rung.move_up.<ladder>", "rung.step_down.<ladder>").
local LADDERS = {
  -- Calf loading order: holds, raises on two legs, on one leg, slow drops, heavy.
  calf = { "isometric_heel_hold", "heel_raise_supported", "heel_raise_step", "eccentric_heel_drop", "heel_raise_loaded" },
  -- Dorsiflexion: static soleus stretch, knee-to-wall rocks, loaded stretch on a step.
  ankle = { "wall_calf_stretch_bent", "knee_to_wall_rock", "calf_stretch_step" },
  balance = { "single_leg_balance", "single_leg_deadlift" },
  foot = { "big_toe_lift", "towel_scrunch", "toe_curls_band", "band_inversion" },
  hip = { "glute_bridge", "clamshell_band", "side_plank" },
}

local RULES = {
  min_exercises = H.min_exercises,
  max_exercises = H.max_exercises,
  max_daily_minutes = H.max_daily_minutes,
  always = "plantar_fascia_stretch",
  calf_findings = { "calf_capacity_low_left", "calf_capacity_low_right", "calf_asymmetry", "calf_pain_stop" },
  ankle_findings = { "dorsiflexion_restricted_left", "dorsiflexion_restricted_right", "dorsiflexion_asymmetry" },
  balance_findings = { "balance_below_norm_left", "balance_below_norm_right", "balance_asymmetry", "balance_sway_high" },
  -- Second calf and ankle cards, after every ladder's rung has its slot.
  calf_companion = "soleus_heel_raise",     -- the deep calf, knees bent
  ankle_companion = "wall_calf_stretch_straight",
  relief = "foot_roll",                     -- relief only, when pain is high now
  -- To reach the minimum when few exercises fit (those the patient may do).
  fillers = { "wall_calf_stretch_straight", "soleus_heel_raise", "big_toe_lift", "glute_bridge" },
  -- A result that needs the team first: no calf training at all, and the see-the-team line.
  no_calf_training = { "calf_no_raise_left", "calf_no_raise_right" },
  kind_order = { relief = 1, mobility = 2, strength = 3, balance = 4 },
  -- Lines a patient who may not run never gets (assets/handout/lines.toml says what each needs).
  running_lines = { "load_reduce", "load_easy_pace", "load_shoes", "load_spike", "shoe_change",
                    "load_high_km", "run_pain_rule", "return_to_run", "race_goals" },
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

local function lower_of(v)
  if v.left and v.right then return math.min(v.left, v.right) end
  return v.left or v.right
end

local function answers_of(session, script)
  return session[script] and session[script].answers or {}
end

-- The side that needs the extra work: the side a finding names, else the
-- lower measure, else the painful side; "both" when it cannot be told.
local function weaker_side(session, prefix, measure)
  local left, right = has(session.findings, prefix .. "left"), has(session.findings, prefix .. "right")
  if left ~= right then return left and "left" or "right" end
  if measure then
    local v = values_of(session, measure[1], measure[2])
    if v.left and v.right and v.left ~= v.right then return v.left < v.right and "left" or "right" end
  end
  local painful = answers_of(session, "profile").painful_side
  if painful == "left" or painful == "right" then return painful end
  return "both"
end

-- How long a dose takes, in minutes rounded up to the half minute: the
-- kiosk's dose_minutes (kiosk/handout/exercise.cpp) computes the same.
local function minutes_of(dose, extra_sets)
  local per_set
  if dose.reps then per_set = math.max(dose.reps, dose.reps_max or 0) * dose.rep_s
  elseif dose.hold_s then per_set = math.max(dose.hold_s, dose.hold_s_max or 0)
  else per_set = math.max(dose.minutes, dose.minutes_max or 0) * 60 end
  if dose.each_way then per_set = per_set * 4 end
  local sets = dose.sets * (dose.each_side and 2 or 1) + (extra_sets or 0)
  local seconds = sets * per_set + (sets - 1) * (dose.rest_s or 0)
  return math.ceil(seconds / 30 - 1e-9) / 2
end

-- Where each ladder starts for this session (1-based rung).
local function calf_start(session, findings)
  local pain_now = answers_of(session, "screening").pain_now or 0
  if has(findings, "calf_pain_stop") or pain_now >= H.holds_from_pain_now then return 1 end
  local reps = lower_of(values_of(session, "heel_raise", "reps"))
  if reps then
    for rung, below in ipairs(H.calf_rung_below_reps) do
      if reps < below then return rung end
    end
    return #LADDERS.calf
  end
  -- No count (not measured): from the findings alone.
  if any_of(findings, { "calf_capacity_low_left", "calf_capacity_low_right" }) then return 2 end
  if has(findings, "calf_asymmetry") then return 3 end
  return 2
end

local function ankle_start(session, findings)
  local cm = lower_of(values_of(session, "knee_to_wall", "distance_cm"))
  if cm then
    if cm < norms.knee_to_wall.adequate_cm - H.ankle_stretch_below_cm then return 1 end
    if cm < norms.knee_to_wall.adequate_cm then return 2 end
    return 3
  end
  if any_of(findings, { "dorsiflexion_restricted_left", "dorsiflexion_restricted_right" }) then return 1 end
  return 2
end

-- 1 (least control) to 4 (no balance finding): where balance, foot and hip start.
local function balance_level(session, findings)
  if not any_of(findings, RULES.balance_findings) then return 4 end
  local below = any_of(findings, { "balance_below_norm_left", "balance_below_norm_right" })
  if not below then return 3 end
  local age = answers_of(session, "profile").age_band
  local norm = norms.single_leg_balance.age_mean_s[age or ""]
  local s = lower_of(values_of(session, "single_leg_balance", "stance_s"))
  if norm and s and s < H.balance_low_share * norm then return 1 end
  return 2
end

-- Every number the texts name, by placeholder.
local function numbers(session)
  local out = {
    pain_ok = H.pain_ok, move_up_days = H.move_up_days, recheck_days = H.recheck_days,
    low_reps = norms.heel_raise.low_reps, adequate_cm = norms.knee_to_wall.adequate_cm,
  }
  for k, v in pairs(A) do out[k] = v end
  local km = answers_of(session, "profile").weekly_km
  if km then out.weekly_km = km end
  return out
end

local function refer_plan(session)
  return { refer = true, exercises = {}, advice = { "refer" }, progression = {},
           recheck_days = 0, total_minutes = 0, numbers = numbers(session) }
end

-- The advice lines this patient gets, in the order they print.
local function advice_for(session, findings, chosen_ids, may_run, no_calf)
  local profile = answers_of(session, "profile")
  local pain_now = answers_of(session, "screening").pain_now or 0
  local km = profile.weekly_km
  local runs = may_run and km ~= 0  -- 0 km a week: no running advice at all
  local age = tonumber(type(profile.age_band) == "string" and profile.age_band:match("^(%d+)") or "")
  local out = {}
  local function add(id) out[#out + 1] = id end
  if no_calf then add("see_team") end
  if has(findings, "calf_pain_stop") then add("pain_stop") end
  add("timeline")
  if runs then
    add((km or 0) >= A.high_km and "load_high_km" or "load_reduce")
    add("load_easy_pace")
    add("run_pain_rule")
    add("return_to_run")
    if has(findings, "load_spike") then add("load_spike") end
    if profile.shoe_change == true then add("shoe_change") else add("load_shoes") end
    if (km or 0) >= A.high_km then add("race_goals") end
  elseif not may_run then
    add("run_ask_first")
  end
  add("pain_rules")
  if has(chosen_ids, RULES.relief) or pain_now >= H.holds_from_pain_now or has(findings, "calf_pain_stop") then
    add("relief_only")
  end
  if age and profile.sex == "female" and age >= A.menopause_from_age then add("menopause")
  elseif age and age >= A.masters_from_age then add("masters") end
  if (km or 0) >= A.high_km or (age and age >= A.masters_from_age) then add("recovery") end
  add("track_morning")
  add("see_clinician")
  if (profile.pain_weeks or 0) >= A.long_pain_weeks then add("long_pain") end
  return out
end

return {
  api = 1,
  id = "handout",
  version = "3.0.0",
  limits = function() return H end,
  plan = function(session, library)
    local findings = session.findings or {}
    local safety = session.safety or {}
    if safety.state ~= "cleared" or has(findings, "red_flag") then return refer_plan(session) end
    local excluded = safety.excluded_needs or {}
    local function allowed(needs) return not any_of(needs or {}, excluded) end
    local no_calf = any_of(findings, RULES.no_calf_training)
    local function may_give(id)
      local card = library[id]
      return card and allowed(card.needs) and not (no_calf and has(card.tags, "calf_strength"))
    end

    -- Candidates in priority order: {id, side, because, rung = {ladder, step, of, next}}.
    local candidates, seen = {}, {}
    local function offer(id, side, because, rung)
      if not id or seen[id] or not may_give(id) then return end
      seen[id] = true
      candidates[#candidates + 1] = { id = id, side = side, because = because or {}, rung = rung }
    end
    local function because_of(list)
      local out = {}
      for _, f in ipairs(list) do
        if has(findings, f) then out[#out + 1] = f end
      end
      return out
    end
    -- The ladder's rung at `start`, or the highest allowed rung below it.
    local function climb(name, start, side, because)
      local rungs = LADDERS[name]
      for step = math.min(start, #rungs), 1, -1 do
        if may_give(rungs[step]) then
          offer(rungs[step], side, because, { ladder = name, step = step, of = #rungs, next = rungs[step + 1] })
          return step
        end
      end
    end

    local painful = answers_of(session, "profile").painful_side
    painful = (painful == "left" or painful == "right") and painful or "both"
    offer(RULES.always, painful)
    local calf = any_of(findings, RULES.calf_findings)
    local ankle = any_of(findings, RULES.ankle_findings)
    local balance = any_of(findings, RULES.balance_findings)
    local one_leg_unsafe = has(findings, "balance_unsafe")
    local nothing = not (calf or ankle or balance or one_leg_unsafe)
    -- Not safe on one leg: the foot and hip ladders start at the bottom.
    local level = one_leg_unsafe and 1 or balance_level(session, findings)
    -- Every ladder a finding calls for gets its rung first; with no finding,
    -- the calf (the best-proven loading) and the foot at the measured level.
    if calf or nothing or one_leg_unsafe then
      climb("calf", calf_start(session, findings), weaker_side(session, "calf_capacity_low_", { "heel_raise", "reps" }),
            because_of(RULES.calf_findings))
    end
    if ankle then
      climb("ankle", ankle_start(session, findings),
            weaker_side(session, "dorsiflexion_restricted_", { "knee_to_wall", "distance_cm" }),
            because_of(RULES.ankle_findings))
    end
    local balance_side = weaker_side(session, "balance_below_norm_", { "single_leg_balance", "stance_s" })
    -- High sway on the plate: practise standing still first, whatever the time.
    local steady = level >= 3 and not has(findings, "balance_sway_high")
    if balance then climb("balance", steady and 2 or 1, balance_side, because_of(RULES.balance_findings)) end
    -- Foot work for everyone without a calf or ankle finding to fill the day;
    -- hip work where balance is poor or not tested.
    local because = because_of(one_leg_unsafe and { "balance_unsafe" } or RULES.balance_findings)
    if balance or one_leg_unsafe or nothing then climb("foot", level, balance_side, because) end
    if balance or one_leg_unsafe then climb("hip", math.min(level, #LADDERS.hip), balance_side, because) end
    local pain_now = answers_of(session, "screening").pain_now or 0
    if pain_now >= H.holds_from_pain_now or has(findings, "calf_pain_stop") then offer(RULES.relief, painful) end
    if calf or nothing then offer(RULES.calf_companion, "both", because_of(RULES.calf_findings)) end
    if ankle then offer(RULES.ankle_companion, weaker_side(session, "dorsiflexion_restricted_", nil), because_of(RULES.ankle_findings)) end
    for _, id in ipairs(RULES.fillers) do
      if #candidates >= RULES.min_exercises then break end
      offer(id, painful)
    end

    -- Take candidates in order, each with its dose and one extra set on the
    -- side that needs it (only where the dose is per side).
    local chosen = {}
    for _, c in ipairs(candidates) do
      if #chosen >= RULES.max_exercises then break end
      local card = library[c.id]
      c.dose = copy(card.dose)
      c.side = card.sided and c.side or "none"
      c.extra = (c.side == "left" or c.side == "right") and c.dose.each_side and 1 or 0
      if c.extra == 0 and card.sided then c.side = "both" end
      c.minutes = minutes_of(c.dose, c.extra)
      chosen[#chosen + 1] = c
    end
    -- Honest minutes under the cap: a set off the least needed card that can
    -- spare one (the last chosen), then the extra sets (least needed first),
    -- then sets of the calf rung (the best-proven loading keeps its dose
    -- longest), and only then the least needed card itself.
    local function total()
      local sum = 0
      for _, c in ipairs(chosen) do sum = sum + c.minutes end
      return sum
    end
    local function trim_sets(keep_calf)
      for i = #chosen, 1, -1 do
        local c = chosen[i]
        local floor = c.id == RULES.always and H.min_holds_fascia or H.min_sets
        local calf_rung = c.rung and c.rung.ladder == "calf"
        if c.dose.sets > floor and not (keep_calf and calf_rung) then
          c.dose.sets = c.dose.sets - 1
          return c
        end
      end
    end
    local function drop_extra()
      for i = #chosen, 1, -1 do
        local c = chosen[i]
        if c.extra > 0 then
          c.extra, c.side = 0, "both"
          return c
        end
      end
    end
    local function trim()
      local c = trim_sets(true) or drop_extra() or trim_sets(false)
      if not c then return false end
      c.minutes = minutes_of(c.dose, c.extra)
      return true
    end
    while total() > RULES.max_daily_minutes and #chosen > 1 do
      if not trim() then chosen[#chosen] = nil end
    end

    -- Order mobility → strength → balance (relief first), keeping the choice order within a kind.
    for i, c in ipairs(chosen) do c.rank = i end
    table.sort(chosen, function(a, b)
      local ka, kb = RULES.kind_order[library[a.id].kind], RULES.kind_order[library[b.id].kind]
      if ka ~= kb then return ka < kb end
      return a.rank < b.rank
    end)
    local exercises, ids = {}, {}
    for _, c in ipairs(chosen) do
      local dose = c.dose
      if c.extra > 0 then dose.extra_sets = c.extra end
      exercises[#exercises + 1] = { id = c.id, side = c.side, dose = dose, because = c.because, rung = c.rung }
      ids[#ids + 1] = c.id
    end
    local progression = { "general" }
    if not allowed({ "one_leg" }) then progression[#progression + 1] = "one_leg_later" end
    return {
      refer = false,
      exercises = exercises,
      advice = advice_for(session, findings, ids, allowed({ "running" }), no_calf),
      progression = progression,
      recheck_days = H.recheck_days,
      total_minutes = total(),
      numbers = numbers(session),
    }
  end,
}
