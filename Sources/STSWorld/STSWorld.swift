// STSWorld: the simulated internet: a deterministic generator with ground truth, and the NSD/dnsdist/nginx lifecycle.
