#pragma once
// Qt's offscreen platform warns "This plugin does not support
// propagateSizeHints()" for every widget it lays out; when BayesLab renders
// figures without a display that is noise, not news. Everything else passes.
namespace bayeslab::app {

void silenceOffscreenNoise();

}  // namespace bayeslab::app
