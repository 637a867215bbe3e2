-- Norms and cut-offs the bundled scripts score against. Clinicians may
-- change these numbers; run `kioskctl script check`, `kioskctl handout check`
-- and the tests after a change. Patient texts name these numbers as
-- {placeholders}, so a change here changes what the patient reads.
--
-- SOURCES (each once; the values below name them by author and year):
--   Springer 2007   Springer BA, Marin R, Cyhan T, Roberts H, Gill NW.
--                   Normative values for the unipedal stance test with eyes
--                   open and closed. J Geriatr Phys Ther 2007;30(1):8-15.
--                   Measured: n = 549 healthy adults in six age bands; time
--                   on one leg, barefoot, ARMS CROSSED over the chest, eyes
--                   open and closed; mean and best of 3 tries; no sex
--                   difference; ICC 0.994 (eyes open, best of 3).
--   Lunsford 1995   Lunsford BR, Perry J. The standing heel-rise test for
--                   ankle plantar flexion: criterion for normal. Phys Ther
--                   1995;75(8):694-698. Measured: healthy adults 20-59,
--                   single-leg raises to fatigue on FLAT FLOOR, fingertip
--                   support, paced; mean 27.9 (SD about 10) raises.
--   Hebert-Losier 2017  Hebert-Losier K, Wessman C, Alricsson M, Svantesson
--                   U. Updated reliability and normative values for the
--                   standing heel-rise test in healthy adults. Physiotherapy
--                   2017;103(4):446-452. Measured: healthy adults, single-leg
--                   raises on a 10 DEGREE INCLINE with a 60 beats/min
--                   metronome; median 24 (men), 21 (women), fewer with age;
--                   limits of agreement about +/-6 raises.
--   Hebert-Losier 2009  Hebert-Losier K, Newsham-West RJ, Schneiders AG,
--                   Sullivan SJ. Raising the standards of the calf-raise
--                   test: a systematic review. J Sci Med Sport
--                   2009;12(6):594-602. Measured: the test's protocols and
--                   their reliability across studies (no cut-off used here).
--   Ross 2000       Ross MD, Fontenot EG. Test-retest reliability of the
--                   standing heel-rise test. J Sport Rehabil 2000;9(2):117-
--                   123. Measured: repeated single-leg raise counts in
--                   healthy adults; SEM about 2 raises.
--   Powden 2015     Powden CJ, Hoch JM, Hoch MC. Reliability and minimal
--                   detectable change of the weight-bearing lunge test: a
--                   systematic review. Man Ther 2015;20(4):524-532.
--                   Measured: pooled knee-to-wall reliability (ICC 0.80-
--                   0.99) and minimal detectable change 1.6-1.9 cm; 1 cm is
--                   about 3.6 degrees of dorsiflexion.
--   Rabin 2015      Rabin A, Kozol Z, Spitzer E, Finestone AS. Weight-
--                   bearing ankle dorsiflexion range of motion: can side-
--                   to-side symmetry be assumed? J Athl Train 2015;50(1):
--                   30-35. Measured: knee-to-wall in both ankles of healthy
--                   adults; the sides commonly differ.
--   Articles        the five clinician-written articles summarised in
--                   shared/clinical/BRIEF.md (cut-offs for the kiosk).
-- KIOSK DEFAULT marks a number no source gives; a clinician must confirm it.
local norms = {}

-- Screening (red flags). Pain *above* this score, out of 10, is a red flag
-- (brief: "pain now above 7/10"), so 7 is still fine and 8 is not.
norms.screening = {
  pain_now_highest_ok = 7,
}
-- The patient's minimum age is the clinic's setting (config screening.min_age,
-- 18 by default: the tests' norms below are for adults), given to scripts as
-- t.clinic.min_age.

-- Knee-to-wall (weight-bearing lunge), toe-to-wall distance in cm.
norms.knee_to_wall = {
  -- Reaching the wall from 10 cm (4 in) or more is adequate; less is
  -- restricted (Articles).
  adequate_cm = 10,
  -- A side-to-side difference of this much or more is meaningful: just
  -- above the minimal detectable change of 1.6-1.9 cm (Powden 2015); sides
  -- are not naturally identical (Rabin 2015), so smaller gaps are not flagged.
  asymmetry_cm = 2,
  degrees_per_cm = 3.6,  -- Powden 2015; used only in explanations
  max_cm = 20, step_cm = 0.5, attempts = 3,  -- the brief's answer range
  -- With a plate, a try in which the heel lifted is voided and asked again,
  -- at most this many times a side (KIOSK DEFAULT); after that the result
  -- stands with a note to keep the heel down.
  heel_lift_retries = 2,
  -- Results chart: a change smaller than this may be the test's own error
  -- (minimal detectable change 1.6-1.9 cm, Powden 2015; the upper figure).
  measurement_error_cm = 1.9,
}

-- Single-leg balance, eyes open, arms crossed over the chest (Springer
-- 2007's protocol), beside a wall or rail.
norms.single_leg_balance = {
  -- From this age the instructions ask for fingertips resting on the wall
  -- or rail throughout: a DEVIATION from Springer 2007 (no support), so the
  -- norm flatters no one. KIOSK DEFAULT from the clinical safety review: the
  -- norms fall steeply after 70 (about 15 s at 70-79, 6 s at 80+).
  -- A clinic may also skip the test from an age (config
  -- screening.balance_skip_from_age, off by default).
  fingertips_from_age = 70,
  cap_s = 45,   -- the test stops at 45 s (the articles suggest 30-60 s)
  attempts = 3, -- best of 3 (Springer 2007)
  step_s = 0.1,
  -- Mean best-of-3 eyes-open time (s) by age band (Springer 2007).
  -- VERIFICATION: these are the brief's rounded "commonly quoted" means; the
  -- paper's table could not be read while writing this, so a clinician must
  -- check each value (and its SD) against the paper's eyes-open table.
  age_mean_s = {
    ["18-39"] = 43, ["40-49"] = 40, ["50-59"] = 37,
    ["60-69"] = 27, ["70-79"] = 15, ["80+"] = 6,
  },
  -- Below the age-band mean = "below norm". NOT YET mean - 1 SD: the SDs
  -- need the paper's table (see VERIFICATION above).
  -- Side-to-side difference, as % of the better side, at or above which
  -- balance is called asymmetric (KIOSK DEFAULT) ...
  asymmetry_pct = 25,
  -- ... and only when the sides also differ by at least this many seconds,
  -- so 4 s against 6 s is not called asymmetric (KIOSK DEFAULT, the issue's
  -- floor; above the test's timing error by hand).
  asymmetry_min_s = 5,
  -- With a plate: mean centre-of-pressure speed (mm/s) over the stance at or
  -- above which the sway is high (finding balance_sway_high, fed to the
  -- balance ladder). CLINIC-CONFIGURABLE KIOSK DEFAULT: no single-leg,
  -- eyes-open reference for runners was at hand; set it from your plate and
  -- your own healthy runners (`kioskctl metrics` gives velocity_mm_s).
  sway_velocity_high_mm_s = 40,
  -- Results chart: a change smaller than this may be the test's own error.
  -- KIOSK DEFAULT: Springer 2007 gives reliability (ICC) but no error in
  -- seconds; 5 s is the floor asymmetry_min_s already uses for timing by
  -- hand. A clinician must confirm it.
  measurement_error_s = 5,
}

-- Single-leg heel-raise count (metronome 60 beats/min: up on one, down on
-- the next), one leg, fingertips on the wall.
-- PROTOCOL: the kiosk's test is on the edge of a step; the norms come from
-- flat floor (Lunsford 1995) and a 10 degree incline (Hebert-Losier 2017).
-- A step lets the heel drop lower, so each raise is longer and counts tend
-- to be lower than on the flat: read the cut-off as conservative.
norms.heel_raise = {
  -- Fewer than 20 raises = low capacity (Articles). Context: healthy adults
  -- 27.9 (SD about 10, Lunsford 1995), median 24 men / 21 women (Hebert-Losier
  -- 2017). 20 is within one SD of the healthy mean, not the mean itself.
  low_reps = 20,
  healthy_mean_reps = 28,  -- Lunsford 1995 (27.9): the heavy rung's start
  -- This many raises or fewer on a side: "see the team", not "train it"
  -- (calf_no_raise_<side>). Not rising at all on one leg can mean a calf or
  -- Achilles injury a clinician must examine. KIOSK DEFAULT from the
  -- clinical safety review; a clinician must confirm it.
  refer_at_or_below_reps = 0,
  -- Limb symmetry index = weaker / stronger x 100; below 90 % = asymmetry
  -- (Articles) ...
  lsi_pct = 90,
  -- ... and only when the sides also differ by at least 3 raises: a
  -- smaller gap is within the test's error (SEM about 2 raises, Ross 2000;
  -- limits of agreement +/-6, Hebert-Losier 2017). KIOSK DEFAULT floor.
  asymmetry_min_reps = 3,
  bpm = 60, max_s = 120, max_reps = 100,
  -- Results chart: drawn from 0 to this many raises (a higher count widens
  -- it); KIOSK DEFAULT, above most healthy counts (Lunsford 1995: 27.9, SD 10).
  chart_max_reps = 40,
  -- A change smaller than this may be the test's own error: limits of
  -- agreement about +/-6 raises (Hebert-Losier 2017).
  measurement_error_reps = 6,
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
  -- than the healthy mean (Lunsford 1995) → slow drops,
  -- else heavy raises. 6 and 12 are KIOSK DEFAULTS a clinician must confirm.
  calf_rung_below_reps = { 6, 12, norms.heel_raise.low_reps, norms.heel_raise.healthy_mean_reps },
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
