// The file picker of the portal's two forms (submission and tracking page): the chosen
// files, their sizes in the current language, and what the server would refuse on size
// and count, said before anything is sent.
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { MAX_FILES_PER_UPLOAD, MAX_UPLOAD_BYTES, checkFiles, formatBytes } from './attachments'

export function usePortalFiles() {
  const { t, locale } = useI18n()
  const files = ref<File[]>([])
  const size = (bytes: number) => formatBytes(bytes, locale.value)
  const fileProblems = computed(() => {
    const check = checkFiles(files.value)
    const out = check.tooLarge.map((name) => t('portal.fileTooLarge', { name, size: size(MAX_UPLOAD_BYTES) }))
    if (check.tooLargeTogether) out.push(t('portal.filesTooLargeTogether', { size: size(MAX_UPLOAD_BYTES) }))
    if (check.tooMany) out.push(t('portal.tooManyFiles', { count: MAX_FILES_PER_UPLOAD }))
    return out
  })
  function onFiles(event: Event) {
    files.value = Array.from((event.target as HTMLInputElement).files ?? [])
  }
  return { files, size, fileProblems, onFiles }
}
