#pragma once
// Background work yields the cores to the UI thread.
//
// On a 2-core machine the training thread and its helper keep both cores busy,
// and the views' services (predictive sweeps, rotations, references) add their
// own pool threads, so a frame that needs a few ms of the UI thread could take
// twice that when the scheduler shares the cores among them all. At nice 10 (a
// tenth of the UI thread's CFS weight) the UI thread runs as soon as it wakes,
// and training and services, at the same priority, share what is left as
// before. On Linux niceness is per thread and inherited by the threads it
// starts (the engine's thread-team helpers); elsewhere this does nothing.
namespace bayeslab::ui {

// Lowers the calling thread's scheduling priority to nice 10 (never raises it;
// if the system refuses, the thread keeps its priority).
void lowerThisThreadsPriority();

}  // namespace bayeslab::ui
