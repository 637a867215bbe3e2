-- Safety screen, before any test (brief: "Before any test"). Any red flag:
-- finding red_flag, flag stop_session (no tests, no exercises, see staff).
-- Not safe on one leg: finding balance_unsafe, and the balance and
-- heel-raise tests are skipped (knee-to-wall still runs).
local norms = require("norms").screening

local T = {
  intro = {
    en = "First, a few quick safety questions. Answer yes or no.",
    es = "Primero, unas preguntas rápidas de seguridad. Responde sí o no.",
  },
  numbness = {
    en = "Do you have numbness, tingling or burning in your foot?",
    es = "¿Sientes el pie dormido, con hormigueo o con ardor?",
  },
  night_pain = {
    en = "Does your heel pain wake you up at night, or hurt a lot when you rest?",
    es = "¿El dolor del talón te despierta por la noche o te duele mucho cuando descansas?",
  },
  swelling = {
    en = "Is your heel swollen, red or warm to touch?",
    es = "¿Tienes el talón hinchado, rojo o caliente al tocarlo?",
  },
  fever = {
    en = "Do you have a fever, or do you feel unwell?",
    es = "¿Tienes fiebre o te sientes mal?",
  },
  injury = {
    en = "Did the pain start after a fall, a twist or an injury?",
    es = "¿El dolor empezó después de una caída, una torcedura o un golpe?",
  },
  pain_now = {
    en = "How much does your heel hurt right now? 0 means no pain. 10 means the worst pain you can think of.",
    es = "¿Cuánto te duele el talón ahora mismo? 0 es nada de dolor. 10 es el peor dolor que puedas imaginar.",
  },
  one_leg_safe = {
    en = "Can you safely stand on one leg for a short time?",
    es = "¿Puedes pararte en una pierna por un rato corto sin peligro?",
  },
  stop = {
    en = "Thank you. Please talk to a member of our team before you do any tests or exercises. They will help you today.",
    es = "Gracias. Por favor, habla con alguien de nuestro equipo antes de hacer pruebas o ejercicios. Te ayudarán hoy.",
  },
  skip_one_leg = {
    en = "Thank you. We will skip the tests where you stand on one leg.",
    es = "Gracias. No haremos las pruebas en las que te paras en una pierna.",
  },
  all_clear = {
    en = "Thank you. It is fine to go on to the tests.",
    es = "Gracias. Puedes seguir con las pruebas.",
  },
}

local YES_NO_RED_FLAGS = { "numbness", "night_pain", "swelling", "fever", "injury" }

local function stop_now()
  kiosk.result { text = T.stop }
  return { findings = { "red_flag" }, flags = { "stop_session" }, interpretation = T.stop }
end

return {
  api = 1,
  id = "screening",
  version = "1.0.0",
  kind = "screening",
  order = 10,
  title = { en = "Safety questions", es = "Preguntas de seguridad" },
  plate = "none",
  run = function(t)
    kiosk.instruct { text = T.intro }
    for _, id in ipairs(YES_NO_RED_FLAGS) do
      if kiosk.confirm { id = id, text = T[id] } then return stop_now() end
    end
    local pain = kiosk.ask_number { id = "pain_now", text = T.pain_now, min = 0, max = 10, step = 1 }
    if pain > norms.pain_now_highest_ok then return stop_now() end
    if not kiosk.confirm { id = "one_leg_safe", text = T.one_leg_safe } then
      kiosk.result { text = T.skip_one_leg }
      return {
        findings = { "balance_unsafe" },
        flags = { "skip:single_leg_balance", "skip:heel_raise" },
        interpretation = T.skip_one_leg,
      }
    end
    kiosk.result { text = T.all_clear }
    return { findings = {}, flags = {}, interpretation = T.all_clear }
  end,
}
