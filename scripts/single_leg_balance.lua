-- Single-leg balance, eyes open, arms crossed (Springer 2007's protocol): best of 3 per side, capped
-- at 45 s, compared with the age-band norm. With a plate the time and the
-- sway come from the centre of pressure; without, an on-screen stopwatch.
-- Everyone stands beside a wall or rail with a hand ready; from
-- norms.fingertips_from_age the fingertips stay on it; a clinic may skip the
-- test from an age (t.clinic.balance_skip_from_age).
local norms = require("norms").single_leg_balance
local kit = require("kit")

local T = {
  how = {
    en = "Take off your shoes. Stand next to a wall or a rail, close enough to grab it if you wobble. Stand on your {side} foot with your knee a little soft. Cross your arms over your chest and look straight ahead. Hold as long as you can, up to {cap} seconds. The time stops when your other foot touches down, your standing foot moves, or your arms uncross.",
    es = "Quítate los zapatos. Ponte junto a una pared o una barandilla, lo bastante cerca para agarrarte si pierdes el equilibrio. Apóyate sobre el pie {side} con la rodilla un poco doblada. Cruza los brazos sobre el pecho y mira al frente. Aguanta todo lo que puedas, hasta {cap} segundos. El tiempo para cuando el otro pie toca el suelo, el pie de apoyo se mueve o descruzas los brazos.",
  },
  how_supported = {
    en = "Take off your shoes. Stand next to a wall or a rail and rest your fingertips on it the whole time. Stand on your {side} foot with your knee a little soft and look straight ahead. Hold as long as you can, up to {cap} seconds. The time stops when your other foot touches down, your standing foot moves, or you need more than your fingertips to stay up.",
    es = "Quítate los zapatos. Ponte junto a una pared o una barandilla y deja la punta de los dedos apoyada en ella todo el tiempo. Apóyate sobre el pie {side} con la rodilla un poco doblada y mira al frente. Aguanta todo lo que puedas, hasta {cap} segundos. El tiempo para cuando el otro pie toca el suelo, el pie de apoyo se mueve o necesitas más que la punta de los dedos para sostenerte.",
  },
  skipped = {
    en = "At this clinic, the balance test on one leg is not done at your age. The team can check your balance with you.",
    es = "En esta clínica, la prueba de equilibrio en una pierna no se hace a tu edad. El equipo puede revisar tu equilibrio contigo.",
  },
  ask = {
    en = "Use the stopwatch: press start when you lift your foot, stop when the time ends. You have {tries} tries.",
    es = "Usa el cronómetro: pulsa empezar cuando levantes el pie y parar cuando termine el tiempo. Tienes {tries} intentos.",
  },
  capture = {
    en = "Lift your foot when you are ready. Hold still.",
    es = "Levanta el pie cuando estés listo. Quédate quieto.",
  },
  below = {
    en = "On your {side} leg you stood for {s} seconds. People your age usually manage about {norm} seconds, so balance work will help.",
    es = "Sobre la pierna {side_f} aguantaste {s} segundos. Las personas de tu edad suelen aguantar unos {norm} segundos, así que te ayudarán ejercicios de equilibrio.",
  },
  fine = {
    en = "On your {side} leg you stood for {s} seconds. That is good for your age.",
    es = "Sobre la pierna {side_f} aguantaste {s} segundos. Está bien para tu edad.",
  },
  no_age = {
    en = "On your {side} leg you stood for {s} seconds.",
    es = "Sobre la pierna {side_f} aguantaste {s} segundos.",
  },
  sway = {
    en = "On the plate, your {side} foot had to make a lot of quick corrections to keep you up. Balance work will help it settle.",
    es = "En la plataforma, tu pie {side} tuvo que corregir mucho y rápido para sostenerte. Los ejercicios de equilibrio lo ayudarán a estabilizarse.",
  },
  asymmetry = {
    en = "One leg balances much better than the other. Exercises will give the weaker side extra work.",
    es = "Una pierna tiene mucho mejor equilibrio que la otra. Los ejercicios darán más trabajo al lado más débil.",
  },
}

-- One side with the plate: up to 3 captures; the longest stance counts.
local function plate_side(side)
  local best
  for _ = 1, norms.attempts do
    local got = kiosk.capture {
      side = side, seconds = norms.cap_s, view = "cop", detector = "single_leg_stance",
      text = T.capture,
    }
    if not got then return nil end
    local m = got.metrics
    m.stance_s = math.min(m.stance_s or 0, norms.cap_s)
    if not best or m.stance_s > best.stance_s then best = m end
    if best.stance_s >= norms.cap_s then break end
  end
  return best
end

return {
  api = 1,
  id = "single_leg_balance",
  version = "2.0.0",
  kind = "test",
  order = 40,
  title = { en = "Balance on one leg", es = "Equilibrio en una pierna" },
  plate = "optional",
  sides = { "left", "right" },
  findings = { "balance_below_norm_left", "balance_below_norm_right", "balance_asymmetry", "balance_sway_high" },
  -- The results chart: the zone starts at the mean for the patient's age
  -- band (Springer 2007); an unknown age band shows no zone.
  chart = kiosk.chart {
    measure = "stance_s",
    unit = { en = "seconds", es = "segundos" },
    scale = { 0, norms.cap_s },
    better = "higher",
    norm = { from = norms.age_mean_s },
    measurement_error = { value = norms.measurement_error_s, source = "KIOSK DEFAULT (lib/norms.lua)" },
    asymmetry = "balance_asymmetry",
  },
  run = function(t)
    local norm = norms.age_mean_s[t.profile.age_band or ""]
    local age = kit.age_from(t.profile.age_band)
    local skip_from = t.clinic.balance_skip_from_age
    if skip_from and age and age >= skip_from then
      kiosk.result { text = T.skipped }
      return { findings = {}, interpretation = T.skipped }
    end
    -- Age unknown: the supported way, to be safe.
    local how = (not age or age >= norms.fingertips_from_age) and T.how_supported or T.how
    local best, measures, findings, notes = {}, {}, {}, {}
    local swaying = false
    for _, side in ipairs(t.sides) do
      kiosk.instruct {
        text = kit.fill(how, { side = kit.side_names[side], side_f = kit.side_names_f[side], cap = norms.cap_s }), illustration = "single_leg_balance",
      }
      local sway = t.plate and plate_side(side) or nil
      if sway then
        best[side] = sway.stance_s
        measures[#measures + 1] = kit.measure("stance_s", side, sway.stance_s, "s")
        for _, id in ipairs { "path_mm", "velocity_mm_s", "area95_mm2" } do
          if sway[id] then
            local unit = id:match("_(mm.*)$"):gsub("_", "/")
            measures[#measures + 1] = kit.measure(id, side, sway[id], unit)
          end
        end
      else
        local tries = kiosk.ask_number {
          id = side .. ".seconds", text = kit.fill(T.ask, { tries = norms.attempts }), min = 0, max = norms.cap_s, step = norms.step_s,
          unit = "s", attempts = norms.attempts, input = "timer",
        }
        best[side] = kit.best(tries)
        measures[#measures + 1] = kit.measure("stance_s", side, best[side], "s")
      end
      local said = { side = kit.side_names[side], side_f = kit.side_names_f[side], s = best[side], norm = norm or 0 }
      if not norm then
        notes[#notes + 1] = kit.fill(T.no_age, said)
      elseif best[side] < norm then
        findings[#findings + 1] = "balance_below_norm_" .. side
        notes[#notes + 1] = kit.fill(T.below, said)
      else
        notes[#notes + 1] = kit.fill(T.fine, said)
      end
      if sway and (sway.velocity_mm_s or 0) >= norms.sway_velocity_high_mm_s then
        if not swaying then findings[#findings + 1] = "balance_sway_high" end
        swaying = true
        notes[#notes + 1] = kit.fill(T.sway, said)
      end
    end
    if best.left and best.right then
      local better = math.max(best.left, best.right)
      local pct = better > 0 and 100 * math.abs(best.left - best.right) / better or 0
      measures[#measures + 1] = kit.measure("asymmetry_pct", nil, kit.round1(pct), "%")
      if pct >= norms.asymmetry_pct and math.abs(best.left - best.right) >= norms.asymmetry_min_s then
        findings[#findings + 1] = "balance_asymmetry"
        notes[#notes + 1] = T.asymmetry
      end
    end
    local interpretation = kit.join(table.unpack(notes))
    kiosk.result { text = interpretation }
    return { measures = measures, findings = findings, interpretation = interpretation }
  end,
}
