import { errorMessage } from '../error-message.js';

// Why a file operation failed, in words (no trailing period), for one-sentence messages
// about the log, fixtures, secret files and bodies read from disk.
export function fileErrorReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file stands where a directory should be';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EFBIG':
      return 'the file has reached its size limit';
    case 'EROFS':
      return 'the file system is read-only';
  }
  return errorMessage(error).replace(/[.\s]+$/, '');
}
