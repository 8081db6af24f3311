// The small ELF tool behind infra/torchsharp-fix.sh (Debian 12's libstdc++ and TorchSharp's bridge):
//   torchsharp_fix needed            exit 0 when this system's libstdc++.so.6 lacks GLIBCXX_3.4.32 (the fix is needed), 1 otherwise
//   torchsharp_fix weaken FILE VER   mark FILE's need for symbol version VER as weak (VER_FLG_WEAK in .gnu.version_r),
//                                    so that the loader accepts FILE where no library defines VER
// patchelf 0.14 (Debian 12) cannot do the second; it is 30 lines of ELF here.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int needed(void)
{
    void *libstdcxx = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!libstdcxx) { fprintf(stderr, "torchsharp_fix: cannot load libstdc++.so.6: %s\n", dlerror()); return 2; }
    return dlvsym(libstdcxx, "_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32") ? 1 : 0;
}

static int weaken(const char *path, const char *version)
{
    int fd = open(path, O_RDWR);
    if (fd < 0) { perror(path); return 2; }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) { fprintf(stderr, "%s: not an ELF file\n", path); close(fd); return 2; }
    unsigned char *m = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); close(fd); return 2; }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)m;
    int found = 0;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff + (Elf64_Off)eh->e_shnum * sizeof(Elf64_Shdr) > (Elf64_Off)st.st_size)
    {
        fprintf(stderr, "%s: not a 64-bit ELF file\n", path);
        munmap(m, st.st_size); close(fd); return 2;
    }
    Elf64_Shdr *sh = (Elf64_Shdr *)(m + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++)
    {
        if (sh[i].sh_type != SHT_GNU_verneed) continue;
        const char *names = (const char *)(m + sh[sh[i].sh_link].sh_offset);
        unsigned char *p = m + sh[i].sh_offset;
        for (;;)
        {
            Elf64_Verneed *need = (Elf64_Verneed *)p;
            unsigned char *a = p + need->vn_aux;
            for (unsigned k = 0; k < need->vn_cnt; k++)
            {
                Elf64_Vernaux *aux = (Elf64_Vernaux *)a;
                if (strcmp(names + aux->vna_name, version) == 0) { aux->vna_flags |= VER_FLG_WEAK; found = 1; }
                if (!aux->vna_next) break;
                a += aux->vna_next;
            }
            if (!need->vn_next) break;
            p += need->vn_next;
        }
    }
    msync(m, st.st_size, MS_SYNC);
    munmap(m, st.st_size);
    close(fd);
    if (!found) { fprintf(stderr, "%s: needs no symbol version %s\n", path, version); return 1; }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "needed") == 0) return needed();
    if (argc == 4 && strcmp(argv[1], "weaken") == 0) return weaken(argv[2], argv[3]);
    fprintf(stderr, "usage: torchsharp_fix needed | weaken FILE VERSION\n");
    return 2;
}
