using System.Runtime.InteropServices;

namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>P/Invoke surface of libmetarl_mujoco (Learning/native/mujoco). Only the MuJoCo wrappers call it.</summary>
internal static unsafe partial class MujocoNative
{
    private const string Lib = "metarl_mujoco";

    [LibraryImport(Lib)] internal static partial IntPtr mjs_version();
    [LibraryImport(Lib)] internal static partial IntPtr mjs_last_error();
    [LibraryImport(Lib)] internal static partial IntPtr mjs_last_warning();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr mjs_load_xml_file(string path);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr mjs_load_xml_string(string xml);
    [LibraryImport(Lib)] internal static partial void mjs_free_model(IntPtr model);
    [LibraryImport(Lib)] internal static partial IntPtr mjs_make_data(IntPtr model);
    [LibraryImport(Lib)] internal static partial void mjs_free_data(IntPtr data);

    [LibraryImport(Lib)] internal static partial int mjs_nq(IntPtr model);
    [LibraryImport(Lib)] internal static partial int mjs_nv(IntPtr model);
    [LibraryImport(Lib)] internal static partial int mjs_nu(IntPtr model);
    [LibraryImport(Lib)] internal static partial int mjs_nbody(IntPtr model);
    [LibraryImport(Lib)] internal static partial double mjs_timestep(IntPtr model);

    [LibraryImport(Lib)] internal static partial int mjs_step(IntPtr model, IntPtr data, double* ctrl, int frameSkip);
    [LibraryImport(Lib)] internal static partial void mjs_reset(IntPtr model, IntPtr data);
    [LibraryImport(Lib)] internal static partial int mjs_get_qpos(IntPtr model, IntPtr data, double* dst, int capacity);
    [LibraryImport(Lib)] internal static partial int mjs_get_qvel(IntPtr model, IntPtr data, double* dst, int capacity);
    [LibraryImport(Lib)] internal static partial int mjs_set_state(IntPtr model, IntPtr data, double* qpos, double* qvel);
    [LibraryImport(Lib)] internal static partial double mjs_time(IntPtr data);

    [LibraryImport(Lib)] internal static partial IntPtr mjs_copy_model(IntPtr model);
    [LibraryImport(Lib)] internal static partial int mjs_set_const(IntPtr model);
    [LibraryImport(Lib)] internal static partial double* mjs_model_field(IntPtr model, int field, int* rows, int* cols);
    [LibraryImport(Lib)] internal static partial int* mjs_model_int_field(IntPtr model, int field, int* rows, int* cols);
    [LibraryImport(Lib)] internal static partial double* mjs_data_field(IntPtr model, IntPtr data, int field, int* rows, int* cols);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int mjs_name2id(IntPtr model, int kind, string name);
    [LibraryImport(Lib)] internal static partial IntPtr mjs_id2name(IntPtr model, int kind, int id);
    [LibraryImport(Lib)] internal static partial int mjs_count(IntPtr model, int what);
    [LibraryImport(Lib)] internal static partial void mjs_set_timestep(IntPtr model, double timestep);
    [LibraryImport(Lib)] internal static partial int mjs_step_n(IntPtr model, IntPtr data, int frameSkip);
    [LibraryImport(Lib)] internal static partial int mjs_kinematics(IntPtr model, IntPtr data);
    [LibraryImport(Lib)] internal static partial int mjs_forward(IntPtr model, IntPtr data);
    [LibraryImport(Lib)] internal static partial int mjs_contact_forces(IntPtr model, IntPtr data);
    [LibraryImport(Lib)] internal static partial int mjs_model_int(IntPtr model, int which, int index);
    [LibraryImport(Lib)] internal static partial int mjs_full_state_size(IntPtr model);
    [LibraryImport(Lib)] internal static partial void mjs_get_full_state(IntPtr model, IntPtr data, double* dst);
    [LibraryImport(Lib)] internal static partial void mjs_set_full_state(IntPtr model, IntPtr data, double* src);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int mjs_save_binary(IntPtr model, string path);
    [LibraryImport(Lib)] internal static partial void mjs_alloc_stats(long* blocks, long* bytes, long* hits, long* misses);

    internal static string LastError() => Marshal.PtrToStringUTF8(mjs_last_error()) ?? "";
}
