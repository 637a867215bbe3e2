-- Knee-to-wall (weight-bearing lunge): ankle dorsiflexion, each side, best
-- of up to 3 tries. The patient reads the distance off the floor tape; a
-- plate, when there is one, only checks that the heel stayed down.
local norms = require("norms").knee_to_wall
local kit = require("kit")

local T = {
  how = {
    en = "Take off your shoes. Face the wall. Put your {side} foot on the tape, toes pointing at the wall. Keep your heel down and bend your knee forward to touch the wall. If your knee touches, move your foot back a little and try again. Stop at the farthest spot where your knee can still touch with your heel down.",
    es = "Quítate los zapatos. Ponte de frente a la pared. Pon el pie {side} sobre la cinta, con los dedos hacia la pared. Deja el talón en el suelo y dobla la rodilla hacia delante hasta tocar la pared. Si la rodilla toca, mueve el pie un poco hacia atrás y prueba otra vez. Para en el punto más lejano donde la rodilla todavía toca con el talón en el suelo.",
  },
  ask = {
    en = "How far were your toes from the wall, in centimetres? You can try up to {tries} times. If your knee could not touch the wall even at 0, enter 0.",
    es = "¿A cuántos centímetros de la pared quedaron tus dedos? Puedes intentarlo hasta {tries} veces. Si la rodilla no tocó la pared ni con el pie en 0, escribe 0.",
  },
  restricted = {
    en = "Your {side} ankle is stiff: your knee reached the wall from {cm} cm. {goal} cm or more is a good goal.",
    es = "Tu tobillo {side} está rígido: la rodilla llegó a la pared desde {cm} cm. Una buena meta es {goal} cm o más.",
  },
  good = {
    en = "Your {side} ankle bends well ({cm} cm).",
    es = "Tu tobillo {side} se dobla bien ({cm} cm).",
  },
  asymmetry = {
    en = "Your two ankles are quite different ({cm} cm apart). Stretches will focus on the stiffer side.",
    es = "Tus dos tobillos son bastante distintos (hay {cm} cm de diferencia). Los estiramientos se centrarán en el lado más rígido.",
  },
  heel_lifted_again = {
    en = "The plate felt your {side} heel lift, so that try does not count. Please do it again and keep your heel down on the floor.",
    es = "La plataforma notó que levantaste el talón {side}, así que ese intento no cuenta. Por favor, hazlo otra vez y deja el talón en el suelo.",
  },
  heel_lifted = {
    en = "The plate felt your {side} heel lift. Please keep your heel down next time.",
    es = "La plataforma notó que levantaste el talón {side}. La próxima vez deja el talón en el suelo.",
  },
}

return {
  api = 1,
  id = "knee_to_wall",
  version = "1.0.0",
  kind = "test",
  order = 30,
  title = { en = "Ankle bend (knee to wall)", es = "Flexión del tobillo (rodilla a la pared)" },
  plate = "optional",
  sides = { "left", "right" },
  findings = { "dorsiflexion_restricted_left", "dorsiflexion_restricted_right", "dorsiflexion_asymmetry" },
  -- The results chart (screen and handout): each side's best on the scale,
  -- the shaded zone from the adequate distance up.
  chart = kiosk.chart {
    measure = "distance_cm",
    unit = { en = "cm", es = "cm" },
    scale = { 0, norms.max_cm },
    better = "higher",
    norm = { from = norms.adequate_cm },
    measurement_error = { value = norms.measurement_error_cm, source = "Powden 2015" },
    asymmetry = "dorsiflexion_asymmetry",
  },
  run = function(t)
    local best, measures, findings, notes = {}, {}, {}, {}
    for _, side in ipairs(t.sides) do
      local names = { side = kit.side_names[side], side_f = kit.side_names_f[side] }
      kiosk.instruct { text = kit.fill(T.how, names), illustration = "knee_to_wall" }
      -- With a plate: a try in which the heel lifted does not count; ask again.
      local check
      for round = 1, norms.heel_lift_retries + 1 do
        check = t.plate and kiosk.capture {
          side = side, seconds = 60, view = "force", detector = "heel_contact",
        }
        if not (check and (check.metrics.heel_lifts or 0) > 0) then break end
        if round <= norms.heel_lift_retries then
          kiosk.instruct { text = kit.fill(T.heel_lifted_again, names), illustration = "knee_to_wall" }
        end
      end
      local tries = kiosk.ask_number {
        id = side .. ".distance_cm", text = kit.fill(T.ask, { tries = norms.attempts }), min = 0, max = norms.max_cm,
        step = norms.step_cm, unit = "cm", attempts = norms.attempts,
      }
      best[side] = kit.best(tries)
      measures[#measures + 1] = kit.measure("distance_cm", side, best[side], "cm")
      local said = { side = kit.side_names[side], side_f = kit.side_names_f[side], cm = best[side], goal = norms.adequate_cm }
      if best[side] < norms.adequate_cm then
        findings[#findings + 1] = "dorsiflexion_restricted_" .. side
        notes[#notes + 1] = kit.fill(T.restricted, said)
      else
        notes[#notes + 1] = kit.fill(T.good, said)
      end
      if check and (check.metrics.heel_lifts or 0) > 0 then
        notes[#notes + 1] = kit.fill(T.heel_lifted, names)
      end
    end
    if best.left and best.right then
      local gap = math.abs(best.left - best.right)
      measures[#measures + 1] = kit.measure("asymmetry_cm", nil, gap, "cm")
      if gap >= norms.asymmetry_cm then
        findings[#findings + 1] = "dorsiflexion_asymmetry"
        notes[#notes + 1] = kit.fill(T.asymmetry, { cm = gap })
      end
    end
    local interpretation = kit.join(table.unpack(notes))
    kiosk.result { text = interpretation }
    return { measures = measures, findings = findings, interpretation = interpretation }
  end,
}
