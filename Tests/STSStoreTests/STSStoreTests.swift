// STSStoreTests
