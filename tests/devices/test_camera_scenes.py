

def test_face_locations_are_cached_by_content(tmp_path, monkeypatch, people):
    """The detector runs once per photo: the next start reads the location from the cache dir."""
    from devices.camera import face_cache, scenes

    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    face_cache.forget_memory()
    photo = scenes.decode_image(people.live_photos["zhang_wei"])
    runs = []
    detect = scenes._detect_faces
    monkeypatch.setattr(scenes, "_detect_faces", lambda image, upsample: runs.append(1) or detect(image, upsample))
    first = scenes.locate_faces(photo)
    face_cache.forget_memory()  # as a new process
    again = scenes.locate_faces(photo)
    assert len(runs) == 1
    assert len(list((tmp_path / "face-locations").glob("*.json"))) == 1
    assert [f.box for f in again] == [f.box for f in first]
    assert all((a.points == b.points).all() for a, b in zip(again, first, strict=True))
    edited = photo.copy()
    edited[0, 0] ^= 1  # another photo: another entry
    scenes.locate_faces(edited)
    assert len(runs) == 2
    face_cache.forget_memory()
