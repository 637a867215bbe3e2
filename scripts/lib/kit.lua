-- Small helpers shared by the bundled scripts (plain Lua, no kiosk steps).
local kit = {}

-- The best of one answer or a list of attempts (highest value).
function kit.best(values)
  if type(values) == "number" then return values end
  local best = values[1]
  for i = 2, #values do
    if values[i] > best then best = values[i] end
  end
  return best
end

-- Rounded to one decimal, for reporting (decisions use the exact value).
function kit.round1(x)
  return math.floor(x * 10 + 0.5) / 10
end

-- Names of the sides in each language, as they read inside a sentence.
-- Spanish adjectives agree with the noun: {side} after a masculine noun
-- ("el pie izquierdo", "el tobillo"), {side_f} after a feminine one ("la
-- pierna izquierda", "la pantorrilla"). A test renders every Spanish text
-- with both sides and fails on a mismatch.
kit.side_names = {
  left = { en = "left", es = "izquierdo" },
  right = { en = "right", es = "derecho" },
}
kit.side_names_f = {
  left = { en = "left", es = "izquierda" },
  right = { en = "right", es = "derecha" },
}

-- A number as people write it: 10 not 10.0, 9.5, 42.3.
function kit.number_text(x)
  if x == math.floor(x) then return string.format("%d", math.floor(x)) end
  return string.format("%.1f", x)
end

-- Text in every language with {name} replaced, e.g.
-- kit.fill({ en = "Your {side} foot" }, { side = kit.side_names.left })
-- Each value is text per language, or the same for every language.
function kit.fill(text, values)
  local out = {}
  for lang, s in pairs(text) do
    out[lang] = s:gsub("{([%a_]+)}", function(name)
      local v = values[name]
      if type(v) == "table" then return v[lang] or v.en end
      if v == nil then error("kit.fill: no value for {" .. name .. "}", 3) end
      if type(v) == "number" then return kit.number_text(v) end
      return tostring(v)
    end)
  end
  return out
end

-- Joins several texts (per language) with a space, skipping nils.
function kit.join(...)
  local out = { en = "", es = "" }
  for i = 1, select("#", ...) do
    local t = select(i, ...)
    if t then
      for lang in pairs(out) do
        local s = t[lang] or t.en
        out[lang] = out[lang] == "" and s or (out[lang] .. " " .. s)
      end
    end
  end
  return out
end

-- The youngest age (years) in a profile age band: "40-49" → 40, "80+" → 80,
-- "under-18" → 0; nil when unknown.
function kit.age_from(band)
  if band == "under-18" then return 0 end
  local from = type(band) == "string" and band:match("^(%d+)")
  return from and tonumber(from) or nil
end

-- A measure row for a result.
function kit.measure(id, side, value, unit)
  return { id = id, side = side, value = value, unit = unit }
end

return kit
