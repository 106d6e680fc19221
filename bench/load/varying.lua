-- Varying analyses: each request asks a kernel density surface, Gi* or
-- DBSCAN with parameters drawn at random, so that most miss the cache and
-- are computed. Seeded per thread, so runs are comparable.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "statuses.lua")

local counter = 0
local categories = {"violence", "criminal_damage", "public_order", "asb", "other",
                    "violence,criminal_damage", "violence,public_order,asb"}

function setup(thread)
  thread:set("seed", counter)
  counter = counter + 1
  count_thread(thread)
end

function init(args)
  math.randomseed(1000 + seed)
end

function request()
  local kind = math.random(3)
  local category = categories[math.random(#categories)]
  local path
  if kind == 1 then
    path = string.format("/api/hotspots/kde?cell=%d&bandwidth=%d&category=%s",
                         50 * math.random(1, 4), 100 * math.random(2, 20), category)
  elseif kind == 2 then
    path = string.format("/api/hotspots/gistar?cell=%d&band=%d&category=%s",
                         100 * math.random(2, 5), 250 * math.random(2, 6), category)
  else
    path = string.format("/api/hotspots/dbscan?eps=%d&min_points=%d&category=%s",
                         25 * math.random(2, 12), math.random(3, 20), category)
  end
  return wrk.format("GET", path)
end
