// STSScanner: input lists, the per-domain probe pipeline over the engine, classification, progress.
