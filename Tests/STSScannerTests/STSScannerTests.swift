// STSScannerTests
