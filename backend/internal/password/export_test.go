package password

// LoadCommonForBenchmark decompresses and indexes the list once more.
func LoadCommonForBenchmark() { loadCommon() }
