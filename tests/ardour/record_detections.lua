-- Plays the clip through Earshot in the session make_session.lua made, records the MIDI it
-- sends on the "Detections" track, prints every recorded note, then exports the mix.
-- Output lines: `note CHANNEL KEY VELOCITY START_TICKS LENGTH_TICKS` (1920 ticks a beat, at
-- the session's 120 beats a minute); the mix goes to EARSHOT_EXPORT.
-- Environment: EARSHOT_SESSION, EARSHOT_SAMPLES (clip length), EARSHOT_EXPORT (folder).

local folder = assert(os.getenv("EARSHOT_SESSION"))
local samples = assert(tonumber(os.getenv("EARSHOT_SAMPLES")))
local export_folder = assert(os.getenv("EARSHOT_EXPORT"))

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local backend = AudioEngine:set_backend("None (Dummy)", "", "")
backend:set_driver("10x Speed")
assert(load_session(folder, "earshot"), "could not load the session")
local clip = Session:route_by_name("Clip"):to_track()
local detections = Session:route_by_name("Detections"):to_track()

-- Regions fade in and out over 64 samples by default; the test wants the audio untouched.
for region in clip:playlist():region_list():iter() do
  region:to_audioregion():set_fade_in_active(false)
  region:to_audioregion():set_fade_out_active(false)
end

detections:rec_enable_control():set_value(1, PBD.GroupControlDisposition.NoGroup)
Session:request_locate(0, false, ARDOUR.LocateTransportDisposition.MustStop, ARDOUR.TransportRequestSource.TRS_UI)
Session:maybe_enable_record(false)
Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
local rate = Session:nominal_sample_rate()
wait_until(function() return Session:transport_sample() >= samples + rate end, 120, "the clip to play")
Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
wait_until(function() return not Session:transport_rolling() end, 10, "the transport to stop")
Session:disable_record(false, false)

local function ticks(beats)
  local whole, fraction = beats:str():match("^(%d+):(%d+)$")
  return tonumber(whole) * 1920 + tonumber(fraction)
end
-- The take's notes reach its region's model once Ardour has written them: wait for them.
local function recorded_notes()
  local regions = {}
  for region in detections:playlist():region_list():iter() do table.insert(regions, region) end
  if #regions ~= 1 then return nil end
  local region = regions[1]
  assert(region:position():samples() == 0, "the recording starts at the session's start")
  local notes = ARDOUR.LuaAPI.note_list(region:to_midiregion():model())
  if notes:size() == 0 then return nil end
  return notes
end
wait_until(function() return recorded_notes() ~= nil end, 20, "the recorded notes")
for note in recorded_notes():iter() do
  print(string.format("note %d %d %d %d %d", note:channel(), note:note(), note:velocity(),
      ticks(note:time()), ticks(note:length())))
end

-- The recording is done: the MIDI track stays out of the export.
detections:rec_enable_control():set_value(0, PBD.GroupControlDisposition.NoGroup)
detections:set_active(false, nil)
local export = Session:simple_export()
export:set_folder(export_folder)
export:set_range(0, samples)
assert(export:set_preset("6a1f6a2e-5d0b-4c1e-9d8e-4b7f0e2a5c11"), "the export preset is missing")
assert(export:run_export(), "the export failed")
-- The test takes this line as success: Ardour 7 sometimes crashes while closing.
print("script done")
close_session()
quit()
