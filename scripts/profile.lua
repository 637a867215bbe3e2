-- About the runner (optional answers, for norms and advice): age band, sex,
-- painful side, running load. A recent jump in running gives load_spike.
-- An age band that starts below the clinic's minimum age (t.clinic.min_age,
-- config screening.min_age, 18 by default) raises a red flag: the kiosk
-- sends the person to the team before any test.
local T = {
  intro = {
    en = "Now a few questions about you and your running. They help us choose your exercises.",
    es = "Ahora unas preguntas sobre ti y cómo corres. Nos ayudan a elegir tus ejercicios.",
  },
  age_band = { en = "How old are you?", es = "¿Cuántos años tienes?" },
  sex = { en = "What is your sex?", es = "¿Cuál es tu sexo?" },
  painful_side = { en = "Which heel hurts?", es = "¿Qué talón te duele?" },
  weekly_km = {
    en = "About how many kilometres do you run in a week?",
    es = "¿Más o menos cuántos kilómetros corres por semana?",
  },
  recent_jump = {
    en = "In the last few weeks, did you suddenly run a lot more, or a lot faster?",
    es = "En las últimas semanas, ¿de repente corriste mucho más o mucho más rápido?",
  },
  shoe_change = {
    en = "Did you recently change your running shoes, or where you run?",
    es = "¿Cambiaste hace poco tus zapatillas de correr o el lugar donde corres?",
  },
  pain_weeks = {
    en = "How many weeks have you had this heel pain?",
    es = "¿Cuántas semanas llevas con este dolor de talón?",
  },
  spike = {
    en = "You said your running went up quickly. That is a common cause of heel pain.",
    es = "Dijiste que corriste mucho más de repente. Esa es una causa común del dolor de talón.",
  },
  thanks = { en = "Thank you.", es = "Gracias." },
}

local function option(value, en, es, from) return { value = value, text = { en = en, es = es }, from = from } end

-- `from`: the youngest age in the band (years).
local AGE_BANDS = {
  option("under-18", "Under 18", "Menos de 18", 0),
  option("18-39", "18 to 39", "18 a 39", 18), option("40-49", "40 to 49", "40 a 49", 40),
  option("50-59", "50 to 59", "50 a 59", 50), option("60-69", "60 to 69", "60 a 69", 60),
  option("70-79", "70 to 79", "70 a 79", 70), option("80+", "80 or more", "80 o más", 80),
}

-- The choices as the kiosk shows them, and the bands too young for this clinic.
local function age_question(min_age)
  local options, too_young = {}, {}
  for _, band in ipairs(AGE_BANDS) do
    options[#options + 1] = { value = band.value, text = band.text }
    if band.from < min_age then too_young[#too_young + 1] = band.value end
  end
  return options, too_young
end
local SEXES = {
  option("female", "Female", "Mujer"), option("male", "Male", "Hombre"),
  option("other", "Other", "Otro"), option("skip", "I'd rather not say", "Prefiero no decirlo"),
}
local SIDES = {
  option("left", "Left", "El izquierdo"), option("right", "Right", "El derecho"),
  option("both", "Both", "Los dos"),
}

return {
  api = 1,
  id = "profile",
  version = "2.0.0",
  kind = "profile",
  order = 20,
  title = { en = "About you", es = "Sobre ti" },
  plate = "none",
  findings = { "load_spike" },
  run = function(t)
    kiosk.instruct { text = T.intro }
    local ages, too_young = age_question(t.clinic.min_age or 18)
    kiosk.choose { id = "age_band", text = T.age_band, options = ages, red_flag = too_young }
    kiosk.choose { id = "sex", text = T.sex, options = SEXES }
    kiosk.choose { id = "painful_side", text = T.painful_side, options = SIDES }
    kiosk.ask_number { id = "weekly_km", text = T.weekly_km, min = 0, max = 300, step = 1, unit = "km" }
    local jump = kiosk.confirm { id = "recent_jump", text = T.recent_jump }
    kiosk.confirm { id = "shoe_change", text = T.shoe_change }
    kiosk.ask_number { id = "pain_weeks", text = T.pain_weeks, min = 0, max = 520, step = 1, unit = "weeks" }
    if jump then
      return { findings = { "load_spike" }, interpretation = T.spike }
    end
    return { findings = {}, interpretation = T.thanks }
  end,
}
