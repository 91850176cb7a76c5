// STSWorldTests
