-- Safety screen, before any test (brief: "Before any test"). Each red-flag
-- question declares the answer that raises the flag (red_flag = true, or
-- red_flag_above for a number): the kiosk itself stops at that answer, says
-- "please speak to our team", and nothing a script does afterwards can undo
-- it (scripts/README.md, "Safety"). So this script does not branch on them.
-- Not safe on one leg: finding balance_unsafe, and the balance and
-- heel-raise tests are skipped (knee-to-wall still runs); the sheet then
-- holds no one-leg, step-edge or running work.
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

return {
  api = 1,
  id = "screening",
  version = "2.0.0",
  kind = "screening",
  order = 10,
  title = { en = "Safety questions", es = "Preguntas de seguridad" },
  plate = "none",
  findings = { "balance_unsafe" },
  run = function(t)
    kiosk.instruct { text = T.intro }
    for _, id in ipairs(YES_NO_RED_FLAGS) do
      kiosk.confirm { id = id, text = T[id], red_flag = true }
    end
    kiosk.ask_number {
      id = "pain_now", text = T.pain_now, min = 0, max = 10, step = 1,
      red_flag_above = norms.pain_now_highest_ok,
    }
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
