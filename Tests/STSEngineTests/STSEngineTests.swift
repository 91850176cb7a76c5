// STSEngineTests
