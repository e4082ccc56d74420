//! Trainable networks (burn) that mirror `earshot-nn`'s layers one to one, and their export to
//! the weight format the plug-in reads.

pub mod architecture;
pub mod export;
pub mod network;
