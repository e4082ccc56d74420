//! Trainer end to end on two clips rendered from a song this test writes: features from
//! `earshot-dsp` through the on-disk cache, widened onset targets, a few Adam steps on a small CNN (the loss must fall),
//! export with the training set's standardisation, then `earshot-nn` reading the file must
//! compute what burn computes (≤ 1e-4), and the frontend with the exported statistics must
//! reproduce the standardised features the network was trained on.

mod common;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use common::{options, scratch, write_song};
use earshot_dsp::{Frontend, FrontendConfig, StreamConfig};
use earshot_io::annotations::events;
use earshot_io::audio;
use earshot_nn::{format, Network};
use earshot_trainer::dataset::render::{render_dataset, StyleChoice};
use earshot_trainer::model::architecture::{
    ActivationConfig, Architecture, LayerConfig, PoolConfig,
};
use earshot_trainer::model::export::to_spec;
use earshot_trainer::model::network::TrainableNetwork;
use earshot_trainer::tasks::onsets::OnsetTargets;
use earshot_trainer::train::cache::FeatureFile;
use earshot_trainer::train::examples::{self, Clip};
use earshot_trainer::train::fit::{FitConfig, Fitter};
use earshot_trainer::train::loss::weighted_binary_cross_entropy;

const BANDS: usize = 24;

fn frontend() -> FrontendConfig {
    let stream = |frame_size| StreamConfig::log_mel(frame_size, BANDS, 30.0, 16_000.0);
    FrontendConfig {
        sample_rate: 44_100,
        hop_length: 441,
        streams: vec![stream(1024), stream(2048)],
        standardisation: None,
    }
}

fn architecture() -> Architecture {
    Architecture {
        channels: 2,
        bins: BANDS,
        layers: vec![
            LayerConfig::Conv2d {
                out_channels: 4,
                kernel_time: 3,
                kernel_freq: 3,
                freq_padding: 1,
            },
            LayerConfig::BatchNorm,
            LayerConfig::Activation(ActivationConfig::Relu),
            LayerConfig::Pool { kind: PoolConfig::Max, time: 1, freq: 3, freq_stride: 3 },
            LayerConfig::Conv2d {
                out_channels: 8,
                kernel_time: 3,
                kernel_freq: 8,
                freq_padding: 0,
            },
            LayerConfig::Activation(ActivationConfig::Relu),
            LayerConfig::Dropout { p: 0.2 },
            LayerConfig::Dense { units: 1 },
            LayerConfig::Activation(ActivationConfig::Sigmoid),
        ],
    }
}

#[test]
fn render_train_export_and_the_engine_agrees() {
    let pop909 = scratch("train-pop909");
    write_song(&pop909);
    let renders = scratch("train-renders");
    render_dataset(&options(&pop909, &renders, StyleChoice::AsWritten, 3), &[1]).unwrap();
    let config = frontend();
    let cache = renders.join("features");
    std::fs::create_dir_all(&cache).unwrap();
    let clips: Vec<Clip> = ["001-v0", "001-v1"]
        .iter()
        .map(|stem| {
            let wav = renders.join(format!("{stem}.wav"));
            let features = FeatureFile::for_audio(&cache, &wav, &config).unwrap();
            let onsets = events::read(&renders.join(format!("{stem}.onsets.txt"))).unwrap();
            let targets =
                OnsetTargets { frame_rate: 100.0, neighbour: 0.5, look_ahead: 0, slow_extra: 0 };
            Clip { targets: targets.for_clip(&onsets, &[], features.frames()), features }
        })
        .collect();
    // The cache holds exactly what the frontend computes.
    let audio = audio::read(&renders.join("001-v0.wav")).unwrap();
    assert_eq!(
        clips[0].features.read_all().unwrap(),
        examples::features(&audio, &config).unwrap().1
    );
    let stats = examples::standardisation(&clips).unwrap();
    let standardised: Vec<Vec<f32>> = clips
        .iter()
        .map(|clip| {
            let mut features = clip.features.read_all().unwrap();
            examples::standardise(&mut features, &stats);
            features
        })
        .collect();

    let device = Device::flex().autodiff();
    device.seed(5);
    let network = TrainableNetwork::new(&architecture(), &device).unwrap();
    // The loss over both whole clips (no batch sampling noise), before and after training.
    let whole_loss =
        |network: &TrainableNetwork| {
            let plain = Device::flex();
            clips
                .iter()
                .zip(&standardised)
                .map(|(clip, features)| {
                    let input = Tensor::<1>::from_floats(features.as_slice(), &plain).reshape([
                        1,
                        clip.frames(),
                        2,
                        BANDS,
                    ]);
                    let targets = Tensor::<1>::from_floats(clip.targets.as_slice(), &plain)
                        .reshape([1, clip.frames(), 1, 1]);
                    weighted_binary_cross_entropy(network.valid().forward(input), targets, 4.0)
                        .into_scalar::<f32>()
                })
                .sum::<f32>()
                / clips.len() as f32
        };
    let before = whole_loss(&network);
    let settings = FitConfig { batch: 8, excerpt: 64, warm_up: 0, pitch_shift: None };
    let loss = |predictions, targets| weighted_binary_cross_entropy(predictions, targets, 4.0);
    let (trained, _) = Fitter::new(settings, device)
        .steps(network, &clips, &stats, 40, 3e-3, 5, None, loss)
        .unwrap();
    let after = whole_loss(&trained);
    println!("loss over the clips: {before:.4} untrained, {after:.4} after 40 steps");
    // 40 steps must take off at least a quarter of it (measured: 0.82 → 0.52).
    assert!(after < 0.75 * before, "the loss did not fall: {before} → {after}");

    let inference = trained.valid();
    let exported_frontend = FrontendConfig { standardisation: Some(stats), ..config.clone() };
    let spec = to_spec(
        &inference,
        "onsets",
        exported_frontend.clone(),
        vec![("command".into(), "test".into())],
    )
    .unwrap();
    let mut engine = Network::from_bytes(&format::write(&spec)).unwrap();
    let (clip, features) = (&clips[0], &standardised[0]);
    let input = Tensor::<1>::from_floats(features.as_slice(), &Device::flex()).reshape([
        1,
        clip.frames(),
        2,
        BANDS,
    ]);
    let expected: Vec<f32> =
        inference.forward(input).into_data().convert::<f32>().try_into_vec().unwrap();
    let got = engine.run(features);
    let worst = got.iter().zip(&expected).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    println!(
        "trained model: engine vs burn worst |error| {worst:.2e} over {} frames",
        clip.frames()
    );
    assert!(worst <= 1e-4, "engine and burn differ by {worst}");

    // The frontend, given the exported statistics, computes the standardised training features.
    let frames =
        Frontend::process_signal(engine.frontend(), audio.sample_rate as f64, &audio.channels)
            .unwrap();
    let worst_feature =
        frames.concat().iter().zip(features).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(worst_feature < 1e-4, "frontend standardisation differs by {worst_feature}");
    assert_eq!(engine.frontend(), &exported_frontend);
}
