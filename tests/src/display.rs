//! The editor on a virtual display: start Xvfb, run the standalone there, grab the screen.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// An RGB image read from a PPM (P6) file.
#[derive(Debug, Clone)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    /// Row-major RGB triples.
    pub pixels: Vec<[u8; 3]>,
}

impl Image {
    /// Parses binary PPM with a maxval of 255, as ImageMagick writes it.
    pub fn from_ppm(bytes: &[u8]) -> Result<Self, String> {
        let mut fields = Vec::new();
        let mut pos = 0;
        while fields.len() < 4 {
            while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            if bytes.get(pos) == Some(&b'#') {
                while pos < bytes.len() && bytes[pos] != b'\n' {
                    pos += 1;
                }
                continue;
            }
            let start = pos;
            while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            if start == pos {
                return Err("truncated PPM header".into());
            }
            fields.push(String::from_utf8_lossy(&bytes[start..pos]).into_owned());
        }
        let number =
            |i: usize| fields[i].parse::<usize>().map_err(|e| format!("bad PPM header: {e}"));
        if fields[0] != "P6" || number(3)? != 255 {
            return Err(format!("not an 8-bit binary PPM: {fields:?}"));
        }
        let (width, height) = (number(1)?, number(2)?);
        let data = bytes.get(pos + 1..).ok_or("PPM without pixel data")?;
        if data.len() < width * height * 3 {
            return Err(format!(
                "PPM has {} bytes of pixels, needs {}",
                data.len(),
                width * height * 3
            ));
        }
        let pixels =
            data.chunks_exact(3).take(width * height).map(|p| [p[0], p[1], p[2]]).collect();
        Ok(Self { width, height, pixels })
    }

    /// The fraction of pixels within `tolerance` (per channel) of a colour.
    pub fn fraction_near(&self, rgb: [u8; 3], tolerance: u8) -> f64 {
        let near = |p: &&[u8; 3]| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= tolerance);
        self.pixels.iter().filter(near).count() as f64 / self.pixels.len().max(1) as f64
    }
}

/// A running Xvfb server; stopped when dropped.
pub struct VirtualDisplay {
    server: Child,
    display: String,
}

impl VirtualDisplay {
    /// Starts Xvfb on a free display number with one screen of the given size.
    pub fn start(width: u32, height: u32) -> Result<Self, String> {
        let number = (90..190)
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .ok_or("no free X display number")?;
        let display = format!(":{number}");
        let server = Command::new("Xvfb")
            .args([&display, "-screen", "0", &format!("{width}x{height}x24"), "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start Xvfb (cargo xtask setup installs it): {e}"))?;
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Path::new(&socket).exists() {
            if Instant::now() > deadline {
                return Err("Xvfb did not come up within 10 s".into());
            }
            sleep(Duration::from_millis(50));
        }
        Ok(Self { server, display })
    }

    /// The `DISPLAY` value of this server.
    pub fn name(&self) -> &str {
        &self.display
    }

    /// Captures the whole screen in a format ImageMagick knows by name ("ppm", "png").
    pub fn capture(&self, format: &str) -> Result<Vec<u8>, String> {
        let output = Command::new("import")
            .args([
                "-display",
                &self.display,
                "-window",
                "root",
                "-depth",
                "8",
                &format!("{format}:-"),
            ])
            .output()
            .map_err(|e| format!("could not run ImageMagick's import: {e}"))?;
        if !output.status.success() {
            return Err(format!("import failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        Ok(output.stdout)
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// Child processes that are killed when dropped.
struct Children(Vec<Child>);

impl Children {
    fn spawn(&mut self, command: &mut Command) -> Result<(), String> {
        let program = command.get_program().to_string_lossy().into_owned();
        let child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(|e| {
            format!("could not start {program} (cargo xtask setup installs it): {e}")
        })?;
        self.0.push(child);
        Ok(())
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        // Clients first, the server last.
        for child in self.0.iter_mut().rev() {
            terminate(child);
        }
    }
}

/// Stops a process the way a user would (SIGTERM), so a JACK server or client can release its
/// shared memory; kills it if it has not exited after three seconds.
fn terminate(child: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(3);
    while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
        sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A JACK server of its own on the dummy driver (no sound card needed) playing a test signal:
/// a steady sine from `jack_simple_client` and a metronome click from `jack_metro`, or an audio
/// file on a loop (`sndfile-jackplay`, the server at the file's rate so nothing is resampled).
pub struct JackTestSignal {
    server_name: String,
    rate: u32,
    ports: String,
    _processes: Children,
}

impl JackTestSignal {
    /// The two ports of the sine and clicks (sine left, clicks right).
    const TEST_PORTS: &str = "jack_simple_client:output1,metro:100_bpm";

    /// The ports the standalone's inputs are to be connected to, comma-separated.
    pub fn ports(&self) -> &str {
        &self.ports
    }

    /// Starts the server playing `audio` (a WAV file) on a loop, or the sine and clicks.
    pub fn start(audio: Option<&Path>) -> Result<Self, String> {
        let (rate, channels) = match audio {
            Some(path) => wav_format(path)?,
            None => (48_000, 2),
        };
        // One fixed name: JACK keeps a small registry of servers in shared memory, and a server
        // that dies uncleanly is reclaimed by the next one of the same name.
        let server_name = "earshot-test".to_owned();
        let mut processes = Children(Vec::new());
        // A server of the same name that died uncleanly leaves shared memory behind that makes
        // the next start fail once; stopping that server with SIGTERM clears it, so try twice.
        let mut started = false;
        for _ in 0..2 {
            let mut server = Children(Vec::new());
            server.spawn(Command::new("jackd").args([
                "--name",
                &server_name,
                "--no-realtime",
                "-d",
                "dummy",
                "-r",
                &rate.to_string(),
                "-p",
                "512",
            ]))?;
            let ready = Command::new("jack_wait")
                .args(["--server", &server_name, "--wait", "--timeout", "5"])
                .output()
                .map_err(|e| format!("could not run jack_wait: {e}"))?;
            if ready.status.success()
                && String::from_utf8_lossy(&ready.stdout).contains("available")
            {
                processes = server;
                started = true;
                break;
            }
        }
        if !started {
            return Err("the JACK dummy server did not start (tried twice, 5 s each)".into());
        }
        let with_server = |program: &str| {
            let mut command = Command::new(program);
            command.env("JACK_DEFAULT_SERVER", &server_name);
            command
        };
        let ports = match audio {
            Some(path) => {
                processes.spawn(with_server("sndfile-jackplay").arg("--loop=0").arg(path))?;
                let outputs = (1..=channels.min(2)).map(|c| format!("jackplay:out_{c}"));
                outputs.collect::<Vec<_>>().join(",")
            }
            None => {
                processes.spawn(&mut with_server("jack_simple_client"))?;
                processes
                    .spawn(with_server("jack_metro").args([
                        "-b", "100", "-f", "1000", "-A", "0.9", "-D", "60", "-n", "metro",
                    ]))?;
                Self::TEST_PORTS.to_owned()
            }
        };
        // The standalone connects to these ports when it starts: wait until they exist.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let lsp = with_server("jack_lsp")
                .output()
                .map_err(|e| format!("could not run jack_lsp: {e}"))?;
            let listed = String::from_utf8_lossy(&lsp.stdout).into_owned();
            if ports.split(',').all(|port| listed.lines().any(|line| line.trim() == port)) {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the test signal's ports did not appear; JACK lists:\n{listed}"
                ));
            }
            sleep(Duration::from_millis(50));
        }
        Ok(Self { server_name, rate, ports, _processes: processes })
    }
}

/// A WAV file's sample rate and channel count, from its header.
fn wav_format(path: &Path) -> Result<(u32, u16), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let fmt = bytes
        .windows(4)
        .position(|w| w == b"fmt ")
        .filter(|_| bytes.starts_with(b"RIFF"))
        .ok_or_else(|| format!("{}: not a WAV file", path.display()))?;
    let field = |at: usize, len: usize| bytes.get(fmt + at..fmt + at + len);
    match (field(10, 2), field(12, 4)) {
        (Some(channels), Some(rate)) => Ok((
            u32::from_le_bytes(rate.try_into().expect("4 bytes")),
            u16::from_le_bytes(channels.try_into().expect("2 bytes")),
        )),
        _ => Err(format!("{}: its WAV header is cut short", path.display())),
    }
}

/// Runs the standalone with its editor on `display`, its inputs fed by `signal`, until dropped.
pub struct StandaloneEditor {
    process: Child,
}

impl StandaloneEditor {
    pub fn start(
        standalone: &Path,
        display: &VirtualDisplay,
        signal: &JackTestSignal,
    ) -> Result<Self, String> {
        let process = Command::new(standalone)
            .args(["--backend", "jack", "--connect-jack-inputs", signal.ports()])
            // The standalone activates the plug-in at this rate, whatever JACK's.
            .args(["--sample-rate", &signal.rate.to_string()])
            .env("JACK_DEFAULT_SERVER", &signal.server_name)
            .env("DISPLAY", display.name())
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", standalone.display()))?;
        Ok(Self { process })
    }

    /// Whether the process is still running (it exits early if it cannot open its window).
    pub fn is_running(&mut self) -> bool {
        matches!(self.process.try_wait(), Ok(None))
    }
}

impl Drop for StandaloneEditor {
    fn drop(&mut self) {
        terminate(&mut self.process);
    }
}

/// Opens the editor on a virtual display of the given size with the JACK test signal (or
/// `audio` on a loop) at its inputs, waits until it has drawn (at most `timeout`), lets it run for `settle` more (the RMS
/// reading needs about a second; the spectrogram's history six), and returns the screen as an
/// image and as PNG bytes.
pub fn editor_screenshot(
    standalone: &Path,
    width: u32,
    height: u32,
    timeout: Duration,
    settle: Duration,
    audio: Option<&Path>,
) -> Result<(Image, Vec<u8>), String> {
    let signal = JackTestSignal::start(audio)?;
    let display = VirtualDisplay::start(width, height)?;
    let mut editor = StandaloneEditor::start(standalone, &display, &signal)?;
    let deadline = Instant::now() + timeout;
    loop {
        sleep(Duration::from_millis(500));
        if !editor.is_running() {
            return Err("the standalone exited before its editor could be captured".into());
        }
        // An empty X screen is black; the editor paints its background over all of it.
        let drawn = Image::from_ppm(&display.capture("ppm")?)?.fraction_near([0, 0, 0], 0) < 0.5;
        if drawn {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the editor did not draw within {timeout:?}"));
        }
    }
    sleep(settle);
    let image = Image::from_ppm(&display.capture("ppm")?)?;
    Ok((image, display.capture("png")?))
}
