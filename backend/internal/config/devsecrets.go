package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// devMasterKey returns the development master key stored in dataDir, creating
// it (mode 0600) on first use. Never used in production.
func devMasterKey(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "master.key")
	b, err := os.ReadFile(path)
	if err == nil {
		return string(b), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("cannot read %s: %v", path, errors.Unwrap(err))
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create %s: %v", dataDir, errors.Unwrap(err))
	}
	key := make([]byte, MasterKeyLen)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	enc := base64.StdEncoding.EncodeToString(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process won the race
		b, err := os.ReadFile(path)
		return string(b), err
	}
	if err != nil {
		return "", fmt.Errorf("cannot create %s: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	if _, err := f.WriteString(enc); err != nil {
		return "", err
	}
	return enc, f.Sync()
}
