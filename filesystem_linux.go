package mmap

import "golang.org/x/sys/unix"

// fileSystem names the file system of fd (fstatfs's magic number) and
// tells whether it is one whose reads and writes cross a network or a
// process: a server that fails or goes away turns the mapping's page
// faults into errors that only a read by the descriptor returns as such.
func fileSystem(fd int) (name string, remote bool) {
	var st unix.Statfs_t
	if unix.Fstatfs(fd, &st) != nil {
		return "", false
	}
	switch uint32(st.Type) {
	case unix.NFS_SUPER_MAGIC:
		return "nfs", true
	case unix.SMB_SUPER_MAGIC, unix.SMB2_SUPER_MAGIC:
		return "smb", true
	case unix.CIFS_SUPER_MAGIC:
		return "cifs", true
	case unix.FUSE_SUPER_MAGIC:
		return "fuse", true
	case unix.V9FS_MAGIC:
		return "9p", true
	case unix.CEPH_SUPER_MAGIC:
		return "ceph", true
	case unix.AFS_SUPER_MAGIC, unix.AFS_FS_MAGIC:
		return "afs", true
	case unix.CODA_SUPER_MAGIC:
		return "coda", true
	case unix.NCP_SUPER_MAGIC:
		return "ncp", true
	case 0x01161970:
		return "gfs2", true
	case 0x7461636f:
		return "ocfs2", true
	case 0x0bd00bd0:
		return "lustre", true
	case unix.EXT4_SUPER_MAGIC: // ext2, ext3 and ext4 share it
		return "ext4", false
	case unix.XFS_SUPER_MAGIC:
		return "xfs", false
	case unix.BTRFS_SUPER_MAGIC:
		return "btrfs", false
	case unix.TMPFS_MAGIC:
		return "tmpfs", false
	case unix.OVERLAYFS_SUPER_MAGIC:
		return "overlay", false
	case unix.F2FS_SUPER_MAGIC:
		return "f2fs", false
	case unix.HUGETLBFS_MAGIC:
		return "hugetlbfs", false
	case unix.RAMFS_MAGIC:
		return "ramfs", false
	case unix.EXFAT_SUPER_MAGIC:
		return "exfat", false
	case unix.MSDOS_SUPER_MAGIC:
		return "vfat", false
	case unix.SQUASHFS_MAGIC:
		return "squashfs", false
	case unix.ISOFS_SUPER_MAGIC:
		return "iso9660", false
	case 0x2fc12fc1:
		return "zfs", false
	}
	return "", false
}
