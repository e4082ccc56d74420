-- Makes the Ardour session of the DAW test (tests/tests/ardour_host.rs): a stereo audio track
-- "Clip" with Earshot (VST3) on it, whose MIDI out feeds a MIDI track "Detections". The clip's
-- audio is a take recorded from the dummy backend, which the test then overwrites with its
-- own signal (Ardour 7 has no headless import).
-- Environment: EARSHOT_SESSION (folder), EARSHOT_RATE (Hz), EARSHOT_SAMPLES (take length).

local folder = assert(os.getenv("EARSHOT_SESSION"))
local rate = assert(tonumber(os.getenv("EARSHOT_RATE")))
local samples = assert(tonumber(os.getenv("EARSHOT_SAMPLES")))

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local backend = AudioEngine:set_backend("None (Dummy)", "", "")
backend:set_driver("10x Speed")
assert(create_session(folder, "earshot", rate), "could not create the session")

local clip = Session:new_audio_track(2, 2, nil, 1, "Clip", ARDOUR.PresentationInfo.max_order,
    ARDOUR.TrackMode.Normal, true):front()
clip:rec_enable_control():set_value(1, PBD.GroupControlDisposition.NoGroup)
Session:maybe_enable_record(false)
Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
wait_until(function() return Session:transport_sample() >= samples + rate / 10 end, 120, "the take")
Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
wait_until(function() return not Session:transport_rolling() end, 10, "the transport to stop")
Session:disable_record(false, false)
clip:rec_enable_control():set_value(0, PBD.GroupControlDisposition.NoGroup)
clip:monitoring_control():set_value(ARDOUR.MonitorChoice.MonitorDisk, PBD.GroupControlDisposition.NoGroup)

-- The plug-in list is read before the first lookup by name.
for _ in ARDOUR.LuaAPI.list_plugins():iter() do end
local earshot = ARDOUR.LuaAPI.new_plugin(Session, "Earshot", ARDOUR.PluginType.VST3, "")
assert(not earshot:isnil(), "Ardour does not list Earshot's VST3")
clip:add_processor_by_index(earshot, 0, nil, true)

local midi = ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1)
local detections = Session:new_midi_track(midi, midi, false, ARDOUR.PluginInfo(), nil, nil, 1,
    "Detections", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true):front()
detections:input():disconnect_all(nil)
detections:output():disconnect_all(nil)
local earshot_midi = clip:output():midi(0)
assert(not earshot_midi:isnil(), "the track with Earshot has no MIDI out")
assert(detections:input():midi(0):connect(earshot_midi:name()) == 0, "could not connect the MIDI")

Session:save_state("", false, false, false, false, false)
-- The test takes this line as success: Ardour 7 sometimes crashes while closing.
print("script done")
close_session()
quit()
