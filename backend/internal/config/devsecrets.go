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
	// Write a complete temporary file and link it into place: the key file
	// appears atomically with its content, so a process starting at the same
	// moment (make run starts migrate and serve) never reads it half written.
	tmp, err := os.CreateTemp(dataDir, ".master.key-*")
	if err != nil {
		return "", fmt.Errorf("cannot create %s: %v", path, errors.Unwrap(err))
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(enc); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) { // another process won the race
		b, err := os.ReadFile(path)
		return string(b), err
	} else if err != nil {
		return "", fmt.Errorf("cannot create %s: %v", path, errors.Unwrap(err))
	}
	return enc, nil
}
