-- Single-leg heel raises to a 60 beats/min metronome (up on one beat, down
-- on the next), each side, until the heel no longer clears or the rhythm
-- goes. With a plate the count and the end are judged from the signal.
-- Sharp heel pain stops it at once. After each side the person says what
-- ended it (tired, pain or balance): a pain stop is its own finding
-- (calf_pain_stop) and the plan starts gentler; no raise at all on a side
-- sends them to the team (calf_no_raise_<side>), not to training.
local norms = require("norms").heel_raise
local kit = require("kit")

local T = {
  how = {
    en = "Take off your shoes. Stand on your {side} foot on the edge of the step. Rest your fingertips on the wall, only for balance. With the beat: go up as high as you can on one beat, and down on the next. Keep going until you cannot rise as high, cannot keep up with the beat, or your knee bends. Stop at once if the heel pain turns sharp.",
    es = "Quítate los zapatos. Ponte de pie con el pie {side} en el borde del escalón. Apoya la punta de los dedos en la pared, solo para no perder el equilibrio. Con el ritmo: sube lo más alto que puedas en un golpe y baja en el siguiente. Sigue hasta que no puedas subir igual de alto, no puedas seguir el ritmo o se te doble la rodilla. Detente enseguida si el dolor del talón se vuelve agudo.",
  },
  ready = { en = "Get ready. The beat starts soon.", es = "Prepárate. El ritmo empieza pronto." },
  beat = { en = "Up, down, with the beat.", es = "Arriba, abajo, con el ritmo." },
  ask = {
    en = "How many times did you rise on your {side} foot?",
    es = "¿Cuántas veces subiste sobre el pie {side}?",
  },
  low = {
    en = "Your {side} calf did {n} raises. Fewer than {low} means the calf needs to get stronger.",
    es = "Tu pantorrilla {side_f} hizo {n} elevaciones. Menos de {low} quiere decir que la pantorrilla necesita ponerse más fuerte.",
  },
  fine = {
    en = "Your {side} calf did {n} raises. That is a good number.",
    es = "Tu pantorrilla {side_f} hizo {n} elevaciones. Es un buen número.",
  },
  ended = {
    en = "What made you stop on your {side} foot?",
    es = "¿Por qué paraste con el pie {side}?",
  },
  none = {
    en = "You could not rise on your {side} foot. Please ask our team to check your calf before you train it.",
    es = "No pudiste subir sobre el pie {side}. Por favor, pide a nuestro equipo que revise tu pantorrilla antes de entrenarla.",
  },
  pain = {
    en = "You stopped because of pain, so your calf exercises will start gently.",
    es = "Paraste por dolor, así que tus ejercicios de pantorrilla empezarán con suavidad.",
  },
  asymmetry = {
    en = "One calf is clearly weaker than the other. Exercises will give it extra work.",
    es = "Una pantorrilla es claramente más débil que la otra. Los ejercicios le darán más trabajo.",
  },
}

local ENDED = {
  { value = "tired", text = { en = "My calf was too tired", es = "La pantorrilla estaba muy cansada" } },
  { value = "pain", text = { en = "It hurt", es = "Me dolía" } },
  { value = "balance", text = { en = "I lost my balance", es = "Perdí el equilibrio" } },
}

return {
  api = 1,
  id = "heel_raise",
  version = "2.0.0",
  kind = "test",
  order = 50,
  title = { en = "Calf strength (heel raises)", es = "Fuerza de la pantorrilla (elevaciones de talón)" },
  plate = "optional",
  sides = { "left", "right" },
  findings = {
    "calf_capacity_low_left", "calf_capacity_low_right", "calf_asymmetry", "calf_pain_stop",
    "calf_no_raise_left", "calf_no_raise_right",
  },
  -- The results chart: the zone from the low-capacity cut-off up.
  chart = kiosk.chart {
    measure = "reps",
    unit = { en = "raises", es = "elevaciones" },
    scale = { 0, norms.chart_max_reps },
    better = "higher",
    norm = { from = norms.low_reps },
    measurement_error = { value = norms.measurement_error_reps, source = "Hebert-Losier 2017" },
    asymmetry = "calf_asymmetry",
  },
  refer_findings = { "calf_no_raise_left", "calf_no_raise_right" },
  run = function(t)
    local reps, measures, findings, notes = {}, {}, {}, {}
    local pain_stop = false
    for _, side in ipairs(t.sides) do
      local names = { side = kit.side_names[side], side_f = kit.side_names_f[side] }
      kiosk.instruct { text = kit.fill(T.how, names), illustration = "heel_raise" }
      kiosk.countdown { seconds = 3, text = T.ready, sound = "beep" }
      local got = t.plate and kiosk.capture {
        side = side, seconds = norms.max_s, view = "force", detector = "heel_raise_count",
        bpm = norms.bpm, text = T.beat,
      }
      if got then
        reps[side] = math.floor(got.metrics.reps or 0)
      else
        kiosk.metronome { bpm = norms.bpm, seconds = norms.max_s, text = T.beat }
        reps[side] = kit.best(kiosk.ask_number {
          id = side .. ".reps", text = kit.fill(T.ask, names), min = 0, max = norms.max_reps,
          step = 1, unit = "reps",
        })
      end
      measures[#measures + 1] = kit.measure("reps", side, reps[side], "reps")
      local ended = kiosk.choose { id = side .. ".ended_by", text = kit.fill(T.ended, names), options = ENDED }
      pain_stop = pain_stop or ended == "pain"
      local said = { side = kit.side_names[side], side_f = kit.side_names_f[side], n = reps[side], low = norms.low_reps }
      if reps[side] <= norms.refer_at_or_below_reps then
        findings[#findings + 1] = "calf_capacity_low_" .. side
        findings[#findings + 1] = "calf_no_raise_" .. side
        notes[#notes + 1] = kit.fill(T.none, said)
      elseif reps[side] < norms.low_reps then
        findings[#findings + 1] = "calf_capacity_low_" .. side
        notes[#notes + 1] = kit.fill(T.low, said)
      else
        notes[#notes + 1] = kit.fill(T.fine, said)
      end
    end
    if reps.left and reps.right then
      local weaker, stronger = math.min(reps.left, reps.right), math.max(reps.left, reps.right)
      if stronger > 0 then
        local lsi = 100 * weaker / stronger  -- exact at whole-number ratios such as 18/20
        measures[#measures + 1] = kit.measure("lsi_pct", nil, kit.round1(lsi), "%")
        if lsi < norms.lsi_pct and stronger - weaker >= norms.asymmetry_min_reps then
          findings[#findings + 1] = "calf_asymmetry"
          notes[#notes + 1] = T.asymmetry
        end
      end
    end
    if pain_stop then
      findings[#findings + 1] = "calf_pain_stop"
      notes[#notes + 1] = T.pain
    end
    local interpretation = kit.join(table.unpack(notes))
    kiosk.result { text = interpretation }
    return { measures = measures, findings = findings, interpretation = interpretation }
  end,
}
