-- Norms and cut-offs the bundled scripts score against. Clinicians may
-- change these numbers; keep each source next to its number, and run
-- `kioskctl script check` and the tests after a change.
-- Sources as summarised in shared/clinical/BRIEF.md.
local norms = {}

-- Screening (red flags). Pain *above* this score, out of 10, is a red flag
-- (brief: "pain now above 7/10"), so 7 is still fine and 8 is not.
norms.screening = {
  pain_now_highest_ok = 7,
}
-- The patient's minimum age is the clinic's setting (config screening.min_age,
-- 18 by default: the tests' norms below are for adults), given to scripts as
-- t.clinic.min_age.

-- Knee-to-wall (weight-bearing lunge).
norms.knee_to_wall = {
  -- Reaching the wall from 10 cm (4 in) or more is adequate; less is
  -- restricted. Default from the five clinician-written articles in the brief.
  adequate_cm = 10,
  -- A side-to-side difference of this much or more is meaningful. Default
  -- from the articles; configurable because sides are not naturally
  -- identical (Rabin et al. 2015).
  asymmetry_cm = 2,
  -- 1 cm is about 3.6 degrees of dorsiflexion; reliability ICC 0.80-0.99
  -- (Powden et al. 2015, systematic review). Used only in explanations.
  degrees_per_cm = 3.6,
  max_cm = 20, step_cm = 0.5, attempts = 3,  -- the brief's answer range
}

-- Single-leg balance, eyes open, hands on hips, beside a wall or rail.
norms.single_leg_balance = {
  -- From this age the instructions ask for fingertips resting on the wall
  -- or rail throughout. KIOSK DEFAULT from the clinical safety review: the
  -- norms fall steeply after 70 (Springer 2007: about 15 s at 70-79, 6 s at
  -- 80+), so most people that age cannot hold half the test unsupported.
  -- A clinic may also skip the test from an age (config
  -- screening.balance_skip_from_age, off by default).
  fingertips_from_age = 70,
  cap_s = 45,   -- the test stops at 45 s (the articles suggest 30-60 s)
  attempts = 3, -- best of 3
  step_s = 0.1,
  -- Mean best-of-3 eyes-open time (s) by age band: Springer BA, Marin R,
  -- Cyhan T, Roberts H, Gill NW. Normative values for the unipedal stance
  -- test with eyes open and closed. J Geriatr Phys Ther 2007;30(1):8-15
  -- (n = 549; no sex difference; ICC 0.994 for eyes open, best of 3).
  -- VERIFICATION: the abstract confirms the six age groups, n, the best-of-3
  -- protocol, "not related to gender" and ICC 0.994. These are the brief's
  -- rounded "commonly quoted" means; the paper's table itself could not be
  -- read while writing this, so a clinician must check each value against
  -- the paper's eyes-open table before shipping.
  age_mean_s = {
    ["18-39"] = 43, ["40-49"] = 40, ["50-59"] = 37,
    ["60-69"] = 27, ["70-79"] = 15, ["80+"] = 6,
  },
  -- Below the age-band mean = "below norm" (the brief gives no margin).
  -- Side-to-side difference, as % of the better side, at or above which
  -- balance is called asymmetric. KIOSK DEFAULT, NOT FROM THE BRIEF:
  -- a clinician must confirm or change it.
  asymmetry_pct = 25,
}

-- Single-leg heel-raise count (metronome 60 beats/min: up on one, down on the next).
norms.heel_raise = {
  -- Fewer than 20 raises = low capacity (brief default). Context: healthy
  -- adults about 25-28 (Lunsford & Perry 1995: mean 27.9, SD about 10, ages
  -- 20-59); with pathology about 17 (Hebert-Losier et al. 2009 review);
  -- fewer in women and with age (Hebert-Losier et al. 2017: median 24 men,
  -- 21 women; limits of agreement +/-6; SEM about 2 reps).
  low_reps = 20,
  -- This many raises or fewer on a side: "see the team", not "train it"
  -- (calf_no_raise_<side>). Not rising at all on one leg can mean a calf or
  -- Achilles injury a clinician must examine. KIOSK DEFAULT from the
  -- clinical safety review; a clinician must confirm it.
  refer_at_or_below_reps = 0,
  -- Limb symmetry index = weaker / stronger x 100; below 90 % = asymmetry.
  lsi_pct = 90,
  bpm = 60, max_s = 120, max_reps = 100,
}

-- The handout's limits (brief, "Tailoring": 4-6 exercises, never more than
-- about 20 minutes a day). scripts/handout.lua plans within them and
-- `kioskctl handout check` holds every plan to them.
norms.handout = {
  min_exercises = 4,
  max_exercises = 6,
  max_daily_minutes = 20,
  -- Mild pain up to this score (out of 10) that settles by the next morning
  -- is acceptable during the exercises (brief, "Shared rules").
  pain_ok = 3,
  -- Move up a rung after this many days running where the dose felt easy.
  -- KIOSK DEFAULT (the brief's "3 days in a row" of the old progression line).
  move_up_days = 3,
  recheck_days = 14,  -- recheck the tests in 2 weeks (brief, "Tailoring")
  -- Calf loading order (brief, "Advice for the sheet": isometric holds
  -- first, then slow eccentric lowering, then heavier loading). The start
  -- rung is the first whose upper bound the weaker side's single-leg raises
  -- stay under: fewer than 6 → holds on two legs, fewer than 12 → raises on
  -- two legs, fewer than heel_raise.low_reps → raises on one leg, fewer
  -- than the healthy mean (Lunsford & Perry 1995, 27.9 → 28) → slow drops,
  -- else heavy raises. 6 and 12 are KIOSK DEFAULTS a clinician must confirm.
  calf_rung_below_reps = { 6, 12, 20, 28 },
  -- Pain now at or above this (screening.pain_now, 0-10) starts the calf at
  -- the holds, which ease pain, and adds the foot roll for relief. KIOSK
  -- DEFAULT from the loading order above; a clinician must confirm it.
  holds_from_pain_now = 5,
  -- The ankle ladder starts at static stretches when the stiffer side is
  -- this far short of knee_to_wall.adequate_cm (KIOSK DEFAULT).
  ankle_stretch_below_cm = 6,
  -- Balance, foot and hip ladders start lowest when the weaker side stood
  -- for less than this share of the age-band norm (KIOSK DEFAULT).
  balance_low_share = 0.5,
  -- Fewest sets a rung may be trimmed to when a plan runs over the minutes
  -- cap (KIOSK DEFAULT; the sole stretch is 10 holds a side, trimmed to 6).
  min_sets = 2,
  min_holds_fascia = 6,
}

-- Advice on the sheet (brief, "Advice for the sheet"). The texts name these
-- numbers as {placeholders}; change a number here and the sheet changes.
norms.advice = {
  better_from_weeks = 4, better_to_weeks = 6,       -- most feel clearly better (articles)
  resolved_from_weeks = 8, resolved_to_weeks = 12,  -- full recovery (articles)
  see_clinician_weeks = 6,   -- not better by then: see a clinician (brief, "Shared rules")
  long_pain_weeks = 12,      -- pain this long: book with a clinician too
  run_share_pct = 50,        -- run about half as much ... (brief: "about half")
  cut_weeks = 2,             -- ... for a couple of weeks
  -- From this weekly distance (km) the sheet says how to cut a big week.
  -- KIOSK DEFAULT a clinician may change.
  high_km = 50,
  -- From this age band the masters line; women from menopause_from_age get
  -- the menopause line (brief: peri/post-menopausal). KIOSK DEFAULTS.
  masters_from_age = 50,
  menopause_from_age = 40,
}

return norms
